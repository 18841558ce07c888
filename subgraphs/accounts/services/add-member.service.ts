import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import type { Role } from '../../../core/auth/role';
import { BadUserInputError } from '../../../core/errors';
import type { UserRecord } from '../entities/user.entity';
import { membershipScope } from '../policies/membership.policy';
import { normalizeEmail } from './email-address';
import { insertUser } from './insert-user';
import type { PasswordHasher } from './password-hasher.service';
import { passwordProblem } from './password-policy';

export interface AddMemberCommand {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/**
 * A new user in the caller's organization with the given role and first password (the
 * caller was authorized by membership.policy). An address that already has an account
 * is a CONFLICT: accounts are not shared between organizations.
 */
export class AddMemberService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(
    principal: Principal,
    command: AddMemberCommand,
  ): Promise<{ user: UserRecord; role: Role }> {
    const problem = passwordProblem(command.password);
    if (problem) throw new BadUserInputError(problem, 'password');
    const passwordHash = await this.hasher.hash(command.password);
    const { organizationId } = membershipScope(principal);
    return this.dataSource.transaction(async (manager) => {
      const user = await insertUser(manager, {
        email: normalizeEmail(command.email),
        name: command.name.trim(),
        passwordHash,
      });
      await manager.query(
        `INSERT INTO accounts.memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`,
        [organizationId, user.id, command.role],
      );
      return { user, role: command.role };
    });
  }
}
