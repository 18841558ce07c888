import type { FindOptionsWhere } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import type { PolicyRecord } from '../entities/policy.entity';

/**
 * Which compliance policies a caller may see: every policy of their own organization, whatever
 * their role. The one place this is decided; every read of policies applies it.
 */
export function policyScope(principal: Principal): FindOptionsWhere<PolicyRecord> {
  return { organizationId: principal.organizationId };
}
