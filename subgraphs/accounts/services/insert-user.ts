import type { EntityManager } from 'typeorm';
import { ConflictError } from '../../../core/errors';
import type { UserRecord } from '../entities/user.entity';
import { queryOne } from './sql-rows';

/** A new user, in the caller's transaction; CONFLICT on `email` when the address is taken. */
export async function insertUser(
  manager: EntityManager,
  user: { email: string; name: string; passwordHash: string },
): Promise<UserRecord> {
  const created = await queryOne<UserRecord>(
    manager,
    `INSERT INTO accounts.users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING
     RETURNING id, email, name, created_at AS "createdAt"`,
    [user.email, user.name, user.passwordHash],
  );
  if (!created)
    throw new ConflictError('An account with this e-mail address already exists', 'email');
  return created;
}
