import type { DataSource } from 'typeorm';
import { hashRefreshToken, looksLikeRefreshToken } from './refresh-token';
import { revokeTokenFamily } from './revoke-token-family';
import { queryOne } from './sql-rows';

/**
 * Ends the sign-in a refresh token belongs to: its whole family is revoked, whichever of
 * its tokens is presented. Idempotent, and true for a token it does not know as well:
 * the answer tells nothing about which tokens exist, and the result the caller wants
 * (that token no longer works) holds either way. Access tokens already issued stay valid
 * until they expire (ACCESS_TOKEN_TTL_SECONDS).
 */
export class LogoutService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(refreshToken: string): Promise<true> {
    if (!looksLikeRefreshToken(refreshToken)) return true;
    await this.dataSource.transaction(async (manager) => {
      const token = await queryOne<{ familyId: string }>(
        manager,
        `SELECT family_id AS "familyId" FROM accounts.refresh_tokens WHERE token_hash = $1`,
        [hashRefreshToken(refreshToken)],
      );
      if (token) await revokeTokenFamily(manager, token.familyId, 'logout');
    });
    return true;
  }
}
