import type { FindOptionsWhere } from 'typeorm';
import { requireRole } from '../../../core/auth/authorize';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import type { PolicyRecord } from '../entities/policy.entity';

/**
 * Which compliance policies a caller may see: every policy of their own organization, whatever
 * their role. The one place this is decided; every read of policies applies it.
 */
export function policyScope(principal: Principal): FindOptionsWhere<PolicyRecord> {
  return { organizationId: principal.organizationId };
}

/** Changing policies (create, update, delete) and starting a run on demand takes ADMIN or above. */
export function authorizePolicyChange(principal: Principal, action: string): Principal {
  return requireRole(principal, Role.ADMIN, action);
}
