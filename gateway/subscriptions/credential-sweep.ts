import { GraphQLError } from 'graphql';
import type { CredentialVerifier } from '../../core/auth/credential-verifier';
import type { Principal } from '../../core/auth/principal';
import type { Logger } from '../../core/logging/logger';

export interface SweptConnection {
  context: { principal: Principal; authorization: string | null };
  forbid: (reason: string) => void;
}

/**
 * Verifies again, on an interval, the credentials of open connections that can be revoked
 * before they expire (API keys): a key revoked while subscribed closes its connections with
 * 4403 within the interval plus the verifier's own cache life. Each distinct credential is
 * verified once per pass, however many connections use it. A verification that fails for
 * another reason (accounts unreachable) keeps the connection: an outage must not log everyone
 * out; the next pass tries again.
 * Access tokens are not swept: they are verified locally and end at their expiry (a timer per
 * connection), which bounds how long a token outlives a change of membership.
 */
export function startCredentialSweep(options: {
  intervalMs: number;
  verifier: CredentialVerifier;
  logger: Logger;
  connections: () => Iterable<SweptConnection>;
}): { sweep: () => Promise<void>; stop: () => void } {
  let running: Promise<void> | null = null;

  const sweep = async () => {
    const byCredential = new Map<string, SweptConnection[]>();
    for (const connection of options.connections()) {
      const { principal, authorization } = connection.context;
      if (principal.kind === 'user' || !authorization) continue;
      const list = byCredential.get(authorization);
      if (list) list.push(connection);
      else byCredential.set(authorization, [connection]);
    }
    for (const [authorization, connections] of byCredential) {
      const held = connections[0].context.principal;
      let reason: string | null = null;
      try {
        const current = await options.verifier.verify(authorization);
        if (!current) reason = 'Forbidden: credential revoked';
        else if (current.organizationId !== held.organizationId || current.role !== held.role)
          reason = 'Forbidden: credential changed; reconnect';
      } catch (error) {
        if (error instanceof GraphQLError) reason = `Forbidden: ${error.message}`.slice(0, 120);
        else options.logger.warn({ err: error }, 'credential re-verification failed; kept');
      }
      if (reason) for (const connection of connections) connection.forbid(reason);
    }
  };

  const timer = setInterval(() => {
    if (running) return;
    running = sweep().finally(() => (running = null));
  }, options.intervalMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
