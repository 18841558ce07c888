import type { Principal } from '../../../core/auth/principal';
import { authorizeOperation } from './operation-guards';

/**
 * The one organization a caller may see: their own. Every read of `organizations` goes
 * through this scope.
 */
export function organizationScope(principal: Principal): { id: string } {
  return { id: principal.organizationId };
}

export function authorizeOrganizationReference(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'Organization.__resolveReference');
}
