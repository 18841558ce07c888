import type { DataSource, EntityManager } from 'typeorm';
import { BadUserInputError, UnauthenticatedError } from '../../../core/errors';
import type { IssueSessionService, Session } from './issue-session.service';
import { loadMembership } from './load-membership';
import { hashRefreshToken, looksLikeRefreshToken } from './refresh-token';
import { revokeTokenFamily } from './revoke-token-family';
import { queryOne } from './sql-rows';

type Outcome =
  | { kind: 'rotated'; session: Session }
  | { kind: 'unknown' | 'expired' | 'revoked' | 'reused' | 'membership_ended' };

const MESSAGES: Record<Exclude<Outcome['kind'], 'rotated'>, string> = {
  unknown: 'Refresh token is invalid: sign in again',
  expired: 'Refresh token has expired: sign in again',
  revoked: 'Refresh token has been revoked: sign in again',
  reused:
    'Refresh token reuse detected: this token was already exchanged, so every token of its session has been revoked; sign in again',
  membership_ended: 'You are no longer a member of this organization',
};

/**
 * Exchanges a refresh token for a new session in the same family (rotation). The token is
 * claimed atomically (UPDATE … WHERE rotated_at IS NULL … RETURNING), so it can be
 * exchanged once. Presenting a token that was already exchanged means two parties hold
 * it: the whole family is revoked, the newest token included, and the caller must sign
 * in again. The new access token carries the member's current role.
 */
export class RefreshSessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: IssueSessionService,
  ) {}

  async execute(refreshToken: string): Promise<Session> {
    // A string that cannot be a refresh token at all is bad input; a well-formed one we do not
    // know (or no longer honour) is a failed authentication.
    if (!looksLikeRefreshToken(refreshToken)) {
      throw new BadUserInputError(
        'refreshToken is not a refresh token this service issued',
        'refreshToken',
      );
    }
    // The transaction commits revocations too; the error is raised after it.
    const outcome = await this.dataSource.transaction((manager) =>
      this.rotate(manager, hashRefreshToken(refreshToken)),
    );
    if (outcome.kind === 'rotated') return outcome.session;
    throw new UnauthenticatedError(MESSAGES[outcome.kind]);
  }

  private async rotate(manager: EntityManager, tokenHash: string): Promise<Outcome> {
    // Lock the family first, as revokeTokenFamily does, so a concurrent revocation cannot miss the token issued here.
    const family = await queryOne<{
      id: string;
      organizationId: string;
      userId: string;
      revokedAt: Date | null;
    }>(
      manager,
      `SELECT f.id, f.organization_id AS "organizationId", f.user_id AS "userId", f.revoked_at AS "revokedAt"
         FROM accounts.refresh_tokens t
         JOIN accounts.refresh_token_families f ON f.id = t.family_id
        WHERE t.token_hash = $1
          FOR UPDATE OF f`,
      [tokenHash],
    );
    if (!family) return { kind: 'unknown' };

    const claimed = await queryOne<{ id: string }>(
      manager,
      `UPDATE accounts.refresh_tokens SET rotated_at = now()
        WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id`,
      [tokenHash],
    );
    if (!claimed) {
      const token = await queryOne<{ rotatedAt: Date | null; revokedAt: Date | null }>(
        manager,
        `SELECT rotated_at AS "rotatedAt", revoked_at AS "revokedAt" FROM accounts.refresh_tokens WHERE token_hash = $1`,
        [tokenHash],
      );
      if (token?.rotatedAt) {
        await revokeTokenFamily(manager, family.id, 'reuse_detected');
        return { kind: 'reused' };
      }
      return { kind: token?.revokedAt ? 'revoked' : 'expired' };
    }
    if (family.revokedAt) return { kind: 'revoked' };

    const membership = await loadMembership(manager, family.organizationId, family.userId);
    if (!membership) {
      await revokeTokenFamily(manager, family.id, 'membership_ended');
      return { kind: 'membership_ended' };
    }
    return {
      kind: 'rotated',
      session: await this.sessions.continue(manager, family.id, membership),
    };
  }
}
