import type { Server } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';

/**
 * What every role's Apollo Server shares, the gateway's and each subgraph's: no stack traces in
 * answers, CSRF prevention, and shutdown left to the role runner, which stops roles in order
 * while the drain plugin lets in-flight requests finish.
 */
export function roleApolloOptions<Context extends BaseContext>(
  httpServer: Server,
  shutdownGraceMs: number,
) {
  return {
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    drainPlugin: ApolloServerPluginDrainHttpServer({
      httpServer,
      stopGracePeriodMillis: shutdownGraceMs,
    }) as ApolloServerPlugin<Context>,
  };
}
