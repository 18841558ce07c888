import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { PolicyRecord } from '../entities/policy.entity';
import { policyScope } from '../policies/policy.policy';

/** The caller's organization's policies, oldest first (the order they were written in). */
export class ListPoliciesService {
  private readonly policies: Repository<PolicyRecord>;

  constructor(dataSource: DataSource) {
    this.policies = dataSource.getRepository(PolicyRecord);
  }

  async execute(principal: Principal): Promise<PolicyRecord[]> {
    return this.policies.find({
      where: policyScope(principal),
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}
