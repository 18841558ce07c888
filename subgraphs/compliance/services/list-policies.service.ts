import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { PolicyRecord } from '../entities/policy.entity';
import { policyScope } from '../policies/policy.policy';
import { PolicyStore } from './policy.store';

/**
 * The caller's organization's policies, oldest first (the order they were written in). The
 * first read seeds the organization's default policies (policy.store.ts).
 */
export class ListPoliciesService {
  private readonly store = new PolicyStore();

  constructor(private readonly dataSource: DataSource) {}

  async execute(principal: Principal): Promise<PolicyRecord[]> {
    return this.dataSource.transaction(async (manager) => {
      await this.store.ensureDefaults(manager, principal.organizationId);
      return manager.getRepository(PolicyRecord).find({
        where: policyScope(principal),
        order: { createdAt: 'ASC', id: 'ASC' },
      });
    });
  }
}
