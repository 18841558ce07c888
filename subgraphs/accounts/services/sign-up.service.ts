import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Role } from '../../../core/auth/role';
import { BadUserInputError } from '../../../core/errors';
import type { OrganizationRecord } from '../entities/organization.entity';
import { normalizeEmail } from './email-address';
import { insertUser } from './insert-user';
import type { IssueSessionService, Session } from './issue-session.service';
import { firstFreeSlug, slugify } from './organization-slug';
import type { PasswordHasher } from './password-hasher.service';
import { passwordProblem } from './password-policy';
import { queryOne, queryRows } from './sql-rows';

export interface SignUpCommand {
  email: string;
  password: string;
  name: string;
  organizationName: string;
}

const SLUG_ATTEMPTS = 5;

/**
 * A new organization, its first user and their OWNER membership, and a session, in one
 * transaction: either all of it exists afterwards or none of it.
 */
export class SignUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: IssueSessionService,
  ) {}

  async execute(command: SignUpCommand): Promise<Session> {
    const problem = passwordProblem(command.password);
    if (problem) throw new BadUserInputError(problem, 'password');
    // Hashed before the transaction opens: no connection is held while argon2 works.
    const passwordHash = await this.hasher.hash(command.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await insertUser(manager, {
        email: normalizeEmail(command.email),
        name: command.name.trim(),
        passwordHash,
      });
      const organization = await this.insertOrganization(manager, command.organizationName.trim());
      await manager.query(
        `INSERT INTO accounts.memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`,
        [organization.id, user.id, Role.OWNER],
      );
      return this.sessions.start(manager, { user, organization, role: Role.OWNER });
    });
  }

  /** The slug is the name's, suffixed (-2, -3, …) when taken; a concurrent sign-up just moves it on. */
  private async insertOrganization(
    manager: EntityManager,
    name: string,
  ): Promise<OrganizationRecord> {
    const base = slugify(name);
    let candidate = base;
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt += 1) {
      const created = await queryOne<OrganizationRecord>(
        manager,
        `INSERT INTO accounts.organizations (name, slug) VALUES ($1, $2)
         ON CONFLICT (slug) DO NOTHING
         RETURNING id, name, slug, created_at AS "createdAt"`,
        [name, candidate],
      );
      if (created) return created;
      const taken = await queryRows<{ slug: string }>(
        manager,
        `SELECT slug FROM accounts.organizations WHERE slug = $1 OR slug LIKE $1 || '-%'`,
        [base],
      );
      candidate = firstFreeSlug(
        base,
        taken.map((row) => row.slug),
      );
    }
    // Only under a storm of sign-ups with the same name: a random suffix cannot collide twice.
    candidate = `${base.slice(0, 40)}-${randomBytes(4).toString('hex')}`;
    const created = await queryOne<OrganizationRecord>(
      manager,
      `INSERT INTO accounts.organizations (name, slug) VALUES ($1, $2) RETURNING id, name, slug, created_at AS "createdAt"`,
      [name, candidate],
    );
    return created!;
  }
}
