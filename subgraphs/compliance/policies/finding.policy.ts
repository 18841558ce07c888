import { requireRole } from '../../../core/auth/authorize';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';

/**
 * Who may see and do what with findings: the one place this is decided. Visibility is the
 * caller's organization (every read of findings and of compliance's document copy applies
 * `findingOrganization`); acknowledging takes MEMBER, resolving by hand takes ADMIN (it
 * overrides a rule's verdict).
 */
export function findingOrganization(principal: Principal): string {
  return principal.organizationId;
}

export function authorizeAcknowledge(principal: Principal): Principal {
  return requireRole(principal, Role.MEMBER, 'Acknowledging a finding');
}

export function authorizeResolve(principal: Principal): Principal {
  return requireRole(principal, Role.ADMIN, 'Resolving a finding by hand');
}
