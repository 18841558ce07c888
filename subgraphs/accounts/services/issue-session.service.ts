import type { EntityManager } from 'typeorm';
import type { AccessTokens } from '../../../core/auth/access-token';
import type { Role } from '../../../core/auth/role';
import type { OrganizationRecord } from '../entities/organization.entity';
import type { UserRecord } from '../entities/user.entity';
import { createRefreshToken } from './refresh-token';
import { queryOne } from './sql-rows';

export interface Me {
  user: UserRecord;
  organization: OrganizationRecord;
  role: Role;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires. */
  expiresAt: Date;
  me: Me;
}

/**
 * Issues the tokens of a session: a short-lived access token (JWT) and an opaque refresh
 * token in a family. A sign-in starts a family; each refresh continues it with a new
 * token. Each refresh token lives REFRESH_TOKEN_TTL_DAYS from its issue, so a session
 * ends after that many days without use.
 */
export class IssueSessionService {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokenTtlDays: number,
  ) {}

  /** A new sign-in: a new family and its first refresh token, in the caller's transaction. */
  async start(manager: EntityManager, me: Me): Promise<Session> {
    const family = await queryOne<{ id: string }>(
      manager,
      `INSERT INTO accounts.refresh_token_families (organization_id, user_id) VALUES ($1, $2) RETURNING id`,
      [me.organization.id, me.user.id],
    );
    return this.continue(manager, family!.id, me);
  }

  /** The next refresh token of an existing family (after its predecessor was rotated). */
  async continue(manager: EntityManager, familyId: string, me: Me): Promise<Session> {
    const { token, hash } = createRefreshToken();
    await manager.query(
      `INSERT INTO accounts.refresh_tokens (family_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(days => $3))`,
      [familyId, hash, this.refreshTokenTtlDays],
    );
    const access = await this.accessTokens.sign({
      userId: me.user.id,
      organizationId: me.organization.id,
      role: me.role,
    });
    return { accessToken: access.token, refreshToken: token, expiresAt: access.expiresAt, me };
  }
}
