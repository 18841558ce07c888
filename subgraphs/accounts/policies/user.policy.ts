import type { Principal } from '../../../core/auth/principal';
import { authorizeOperation } from './operation-guards';

/**
 * Users a caller may see: the members of the caller's organization. Applied to the
 * memberships a user query joins, so a user of another organization is simply not found.
 */
export function userVisibilityScope(principal: Principal): { organizationId: string } {
  return { organizationId: principal.organizationId };
}

/** `me`: any principal, user or API key (an API key's "me" is its creator, with the key's role). */
export function authorizeMe(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'Query.me');
}

export function authorizeUserReference(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'User.__resolveReference');
}
