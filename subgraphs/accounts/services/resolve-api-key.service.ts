import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashApiKey, parseApiKey } from '../../../core/auth/api-key-format';
import type { ApiKeyResolver } from '../../../core/auth/credential-verifier';
import type { Principal } from '../../../core/auth/principal';
import { type Role, roleAtLeast } from '../../../core/auth/role';
import type { Logger } from '../../../core/logging/logger';
import { queryOne } from './sql-rows';

const TOUCH_INTERVAL_MS = 60_000;
const MAX_TRACKED_KEYS = 10_000;

/**
 * The accounts side of API-key authentication, used by this subgraph's own requests and,
 * through POST /internal/api-keys/verify, by the gateway and the other subgraphs.
 * A key works while it is not revoked and its creator is still a member; it acts for its
 * creator with its own role, lowered to the creator's current role if that is lower.
 * `lastUsedAt` is written at most once a minute per key (in this process, and in the
 * UPDATE's condition across processes).
 */
export class ResolveApiKeyService implements ApiKeyResolver {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  async resolve(key: string): Promise<Principal | null> {
    const parsed = parseApiKey(key);
    if (!parsed) return null;
    const row = await queryOne<{
      id: string;
      organizationId: string;
      createdBy: string;
      role: Role;
      keyHash: string;
      creatorRole: Role;
    }>(
      this.dataSource.manager,
      `SELECT k.id, k.organization_id AS "organizationId", k.created_by AS "createdBy", k.role, k.key_hash AS "keyHash",
              m.role AS "creatorRole"
         FROM accounts.api_keys k
         JOIN accounts.memberships m ON m.organization_id = k.organization_id AND m.user_id = k.created_by
        WHERE k.prefix = $1 AND k.revoked_at IS NULL`,
      [parsed.prefix],
    );
    if (
      !row ||
      !timingSafeEqual(Buffer.from(row.keyHash, 'hex'), Buffer.from(hashApiKey(key), 'hex'))
    )
      return null;
    await this.touch(row.id);
    return {
      kind: 'apiKey',
      userId: row.createdBy,
      organizationId: row.organizationId,
      role: roleAtLeast(row.creatorRole, row.role) ? row.role : row.creatorRole,
      apiKeyId: row.id,
    };
  }

  private async touch(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    if (this.touchedAt.size >= MAX_TRACKED_KEYS) this.touchedAt.clear();
    this.touchedAt.set(id, now);
    try {
      await this.dataSource.query(
        `UPDATE accounts.api_keys SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [id],
      );
    } catch (error) {
      // A missed lastUsedAt must not fail the request it belongs to.
      this.logger.warn({ err: error, apiKeyId: id }, 'could not record API key use');
    }
  }
}
