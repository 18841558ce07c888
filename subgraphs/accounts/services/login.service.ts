import type { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../../../core/errors';
import { normalizeEmail } from './email-address';
import type { IssueSessionService, Session } from './issue-session.service';
import { loadHomeMembership } from './load-membership';
import type { LoginThrottle } from './login-throttle.service';
import type { PasswordHasher } from './password-hasher.service';
import { queryOne } from './sql-rows';

export interface LoginCommand {
  email: string;
  password: string;
}

const INVALID_CREDENTIALS = 'Invalid e-mail or password';

/**
 * Signs in with e-mail and password. Unknown address and wrong password answer the same
 * message after the same work (one argon2 verification), so neither the answer nor its
 * timing tells which addresses have accounts. Failures are throttled per address.
 */
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: IssueSessionService,
  ) {}

  async execute(command: LoginCommand): Promise<Session> {
    const email = normalizeEmail(command.email);
    await this.throttle.reserveAttempt(email);
    const user = await queryOne<{ id: string; passwordHash: string }>(
      this.dataSource.manager,
      `SELECT id, password_hash AS "passwordHash" FROM accounts.users WHERE email = $1`,
      [email],
    );
    const valid = user
      ? await this.hasher.verify(user.passwordHash, command.password)
      : await this.hasher.verifyNothing(command.password);
    if (!user || !valid) throw new UnauthenticatedError(INVALID_CREDENTIALS);

    const membership = await loadHomeMembership(this.dataSource.manager, user.id);
    if (!membership)
      throw new UnauthenticatedError('This account is not a member of any organization');
    await this.throttle.succeeded(email);
    return this.dataSource.transaction((manager) => this.sessions.start(manager, membership));
  }
}
