import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { parseId } from '../../../core/graphql/ids';
import { PolicyRecord } from '../entities/policy.entity';
import { policyScope } from '../policies/policy.policy';

/** One policy the caller may see, or null (another organization's policy is not found, not forbidden). */
export class FindPolicyService {
  private readonly policies: Repository<PolicyRecord>;

  constructor(dataSource: DataSource) {
    this.policies = dataSource.getRepository(PolicyRecord);
  }

  async execute(principal: Principal, id: string): Promise<PolicyRecord | null> {
    return this.policies.findOne({ where: { ...policyScope(principal), id: parseId(id) } });
  }
}
