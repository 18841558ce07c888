import { requireRole } from '../../../core/auth/authorize';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import { ForbiddenError } from '../../../core/errors';

/**
 * Who may reach each operation of the accounts subgraph, in one table that a test pins
 * down (operation-guards.spec.ts), so a change of who can reach what shows up in review.
 * - `public`: needs no principal; the operation checks the credentials it is given.
 * - otherwise: a principal of at least `minimumRole`; `apiKeys: false` refuses API keys,
 *   which may not mint credentials (a stolen key must not create more keys or members).
 * Finer rules that depend on the arguments (roles one may grant) live in the entity's policy.
 */
export type OperationGuard =
  { public: true; reason: string } | { public?: false; minimumRole: Role; apiKeys: boolean };

export const OPERATION_GUARDS = {
  'Query.me': { minimumRole: Role.VIEWER, apiKeys: true },
  'Query.members': { minimumRole: Role.VIEWER, apiKeys: true },
  'Query.apiKeys': { minimumRole: Role.ADMIN, apiKeys: true },
  'Mutation.signUp': { public: true, reason: 'creates a new organization and its first user' },
  'Mutation.login': { public: true, reason: 'authenticates with e-mail and password' },
  'Mutation.refreshSession': { public: true, reason: 'authenticates with the refresh token' },
  'Mutation.logout': { public: true, reason: 'authenticates with the refresh token' },
  'Mutation.addMember': { minimumRole: Role.ADMIN, apiKeys: false },
  'Mutation.createApiKey': { minimumRole: Role.ADMIN, apiKeys: false },
  'Mutation.revokeApiKey': { minimumRole: Role.ADMIN, apiKeys: false },
  'User.__resolveReference': { minimumRole: Role.VIEWER, apiKeys: true },
  'Organization.__resolveReference': { minimumRole: Role.VIEWER, apiKeys: true },
} as const satisfies Record<string, OperationGuard>;

export type GuardedOperation = {
  [K in keyof typeof OPERATION_GUARDS]: (typeof OPERATION_GUARDS)[K] extends { minimumRole: Role }
    ? K
    : never;
}[keyof typeof OPERATION_GUARDS];

/** The caller, when the guard of `operation` lets them through; FORBIDDEN or UNAUTHENTICATED otherwise. */
export function authorizeOperation(
  principal: Principal | null | undefined,
  operation: GuardedOperation,
): Principal {
  const guard: OperationGuard = OPERATION_GUARDS[operation];
  if (guard.public) throw new Error(`${operation} is public: it has no principal to authorize`);
  const action = operation.split('.')[1];
  const caller = requireRole(principal, guard.minimumRole, action);
  if (!guard.apiKeys && caller.kind === 'apiKey') {
    throw new ForbiddenError(
      `${action} cannot be called with an API key: API keys may not create credentials; sign in as a user`,
    );
  }
  return caller;
}
