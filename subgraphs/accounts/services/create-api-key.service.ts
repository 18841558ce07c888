import type { DataSource } from 'typeorm';
import { generateApiKey } from '../../../core/auth/api-key-format';
import type { Principal } from '../../../core/auth/principal';
import type { Role } from '../../../core/auth/role';
import type { ApiKeyRecord } from '../entities/api-key.entity';
import { apiKeyScope } from '../policies/api-key.policy';
import { queryOne } from './sql-rows';

export interface CreateApiKeyCommand {
  name: string;
  role: Role;
}

/** A new key for the caller's organization; its secret is returned here and never again. */
export class CreateApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(
    principal: Principal,
    command: CreateApiKeyCommand,
  ): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
    const { key, prefix, hash } = generateApiKey();
    const apiKey = await queryOne<ApiKeyRecord>(
      this.dataSource.manager,
      `INSERT INTO accounts.api_keys (organization_id, created_by, name, role, prefix, key_hash)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, organization_id AS "organizationId", created_by AS "createdBy", name, role, prefix,
                 created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
      [
        apiKeyScope(principal).organizationId,
        principal.userId,
        command.name.trim(),
        command.role,
        prefix,
        hash,
      ],
    );
    return { apiKey: apiKey!, secret: key };
  }
}
