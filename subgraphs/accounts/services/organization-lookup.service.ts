import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { isId } from '../../../core/graphql/ids';
import { OrganizationRecord } from '../entities/organization.entity';
import { organizationScope } from '../policies/organization.policy';

/** Organizations by id for entity references: the caller's own, anything else is null. */
export class OrganizationLookupService {
  constructor(private readonly dataSource: DataSource) {}

  async find(principal: Principal, id: string): Promise<OrganizationRecord | null> {
    const scope = organizationScope(principal);
    if (!isId(id) || id.toLowerCase() !== scope.id) return null;
    return this.dataSource.getRepository(OrganizationRecord).findOne({ where: scope });
  }
}
