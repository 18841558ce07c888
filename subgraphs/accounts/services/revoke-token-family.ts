import type { EntityManager } from 'typeorm';
import type { FamilyRevokedReason } from '../entities/refresh-token-family.entity';

/**
 * Ends a sign-in: the family, then every token of it, newest included. The family row is
 * updated first: refreshSession locks that row before it rotates, so a rotation running
 * at the same time either finishes before this (and its new token is revoked by the
 * second statement, which sees it) or sees the family revoked and issues nothing.
 * Run it in a transaction; the first reason recorded is kept.
 */
export async function revokeTokenFamily(
  manager: EntityManager,
  familyId: string,
  reason: FamilyRevokedReason,
): Promise<void> {
  await manager.query(
    `UPDATE accounts.refresh_token_families
        SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, $2)
      WHERE id = $1`,
    [familyId, reason],
  );
  await manager.query(
    `UPDATE accounts.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId],
  );
}
