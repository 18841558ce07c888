import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Principal } from './principal';
import { type Role, roleAtLeast } from './role';

export function requirePrincipal(principal: Principal | null | undefined): Principal {
  if (!principal) throw new UnauthenticatedError();
  return principal;
}

/** The one check every guarded operation makes: signed in, and at least `minimum`. */
export function requireRole(
  principal: Principal | null | undefined,
  minimum: Role,
  action: string,
): Principal {
  const caller = requirePrincipal(principal);
  if (!roleAtLeast(caller.role, minimum)) {
    throw new ForbiddenError(
      `${action} requires the ${minimum} role or above; you are ${caller.role}`,
    );
  }
  return caller;
}
