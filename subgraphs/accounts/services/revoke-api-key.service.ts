import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { NotFoundError } from '../../../core/errors';
import { parseId } from '../../../core/graphql/ids';
import { ApiKeyRecord } from '../entities/api-key.entity';
import { apiKeyScope, authorizeRevokeApiKey } from '../policies/api-key.policy';

/**
 * Revokes one of the organization's keys: it stops working at once here, and within the
 * other subgraphs' short verification cache (RemoteApiKeyResolver). Revoking a revoked key
 * answers true again; a key of another organization is NOT_FOUND.
 */
export class RevokeApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(principal: Principal, id: string): Promise<true> {
    const repository = this.dataSource.getRepository(ApiKeyRecord);
    const key = await repository.findOne({ where: { ...apiKeyScope(principal), id: parseId(id) } });
    if (!key) throw new NotFoundError('API key', id);
    authorizeRevokeApiKey(principal, key);
    if (!key.revokedAt) {
      await this.dataSource.query(
        `UPDATE accounts.api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
        [key.id],
      );
    }
    return true;
  }
}
