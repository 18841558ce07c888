import type { Principal } from '../../../core/auth/principal';
import { type Role, roleAtLeast } from '../../../core/auth/role';
import { ForbiddenError } from '../../../core/errors';
import { authorizeOperation } from './operation-guards';

/** The memberships a caller may read or write: those of their own organization. */
export function membershipScope(principal: Principal): { organizationId: string } {
  return { organizationId: principal.organizationId };
}

/** Every member (VIEWER and above) sees who else is in the organization. */
export function authorizeListMembers(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'Query.members');
}

/**
 * OWNER and ADMIN users add members, with a role no higher than their own: an ADMIN
 * cannot make an OWNER. API keys cannot add members (see operation-guards.ts).
 */
export function authorizeAddMember(principal: Principal | null | undefined, role: Role): Principal {
  const caller = authorizeOperation(principal, 'Mutation.addMember');
  if (!roleAtLeast(caller.role, role)) {
    throw new ForbiddenError(
      `You cannot grant the ${role} role: it is above your own (${caller.role})`,
    );
  }
  return caller;
}
