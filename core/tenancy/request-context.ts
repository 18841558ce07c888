import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal';
import { requirePrincipal } from '../auth/authorize';

/** What one request (or one job) runs as; set once, read by repositories and policies. */
export interface RequestContext {
  requestId: string;
  principal: Principal | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The caller, or UNAUTHENTICATED when the code runs outside a signed-in request. */
export function currentPrincipal(): Principal {
  return requirePrincipal(storage.getStore()?.principal);
}
