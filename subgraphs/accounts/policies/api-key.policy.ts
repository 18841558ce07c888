import type { Principal } from '../../../core/auth/principal';
import { type Role, roleAtLeast } from '../../../core/auth/role';
import { ForbiddenError } from '../../../core/errors';
import { authorizeOperation } from './operation-guards';

/** The API keys a caller may read or change: those of their own organization. */
export function apiKeyScope(principal: Principal): { organizationId: string } {
  return { organizationId: principal.organizationId };
}

/** ADMIN and above see the organization's active keys (never their secrets). */
export function authorizeListApiKeys(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'Query.apiKeys');
}

/** ADMIN and above, signed in as users, create keys whose role does not exceed their own. */
export function authorizeCreateApiKey(
  principal: Principal | null | undefined,
  role: Role,
): Principal {
  const caller = authorizeOperation(principal, 'Mutation.createApiKey');
  if (!roleAtLeast(caller.role, role)) {
    throw new ForbiddenError(
      `You cannot create an API key with the ${role} role: it is above your own (${caller.role})`,
    );
  }
  return caller;
}

/** The guard of revokeApiKey, before the key is looked up. */
export function authorizeRevokeApiKeys(principal: Principal | null | undefined): Principal {
  return authorizeOperation(principal, 'Mutation.revokeApiKey');
}

/** One may revoke only a key one could have created: an ADMIN cannot revoke an OWNER key. */
export function authorizeRevokeApiKey(caller: Principal, key: { role: Role }): void {
  if (!roleAtLeast(caller.role, key.role)) {
    throw new ForbiddenError(
      `You cannot revoke an API key with the ${key.role} role: it is above your own (${caller.role})`,
    );
  }
}
