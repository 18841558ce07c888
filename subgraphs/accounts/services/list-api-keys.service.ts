import { IsNull, type DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { ApiKeyRecord } from '../entities/api-key.entity';
import { apiKeyScope } from '../policies/api-key.policy';

/** The organization's keys that still work, newest first. */
export class ListApiKeysService {
  constructor(private readonly dataSource: DataSource) {}

  execute(principal: Principal): Promise<ApiKeyRecord[]> {
    return this.dataSource.getRepository(ApiKeyRecord).find({
      where: { ...apiKeyScope(principal), revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }
}
