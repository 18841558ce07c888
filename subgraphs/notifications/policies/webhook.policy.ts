import type { Principal } from '../../../core/auth/principal';
import { requireRole } from '../../../core/auth/authorize';
import { Role } from '../../../core/auth/role';

/** Webhooks are the organization's integrations: ADMIN and above manage and read them. */
export function authorizeWebhooks(
  principal: Principal | null | undefined,
  action: string,
): Principal {
  return requireRole(principal, Role.ADMIN, action);
}
