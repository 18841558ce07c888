import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Redis } from 'ioredis';
import type { CredentialVerifier } from '../../core/auth/credential-verifier';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../gateway-context';
import { isAskStream, prepareAskStream, serveAskStream } from './ask-stream';
import { EventStream } from './event-stream';
import { rewriteSubscription } from './rewrite-subscription';
import type { SharingRule } from './shared-selection';
import { SubscriptionHub, type ActiveSubscription, type GatewayExecutor } from './subscription-hub';
import { countSubscriptions } from './subscription-metrics';
import { startCredentialSweep } from './credential-sweep';
import { createDocumentCache } from './document-cache';
import { createGatewayHydrator, type HydratorOptions } from './gateway-hydrator';
import { EVENT_ENTITY_VARIABLE } from './rewrite-subscription';
import { asWarmUp } from './plan-warm-up';

/** graphql-ws close codes Docent uses beyond the protocol's own (4400, 4408, 4429 ...). */
export const CloseCode = {
  Unauthorized: 4401,
  Forbidden: 4403,
  /** Standard WebSocket "try again later": the client fell too far behind. */
  SlowConsumer: 1013,
  GoingAway: 1001,
} as const;

export interface SubscriptionServerOptions {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  /** The gateway's API schema (with the composed Subscription type). */
  schema: () => GraphQLSchema;
  /**
   * @apollo/gateway's executor and the limits and error formatting of the gateway's Apollo
   * Server: events are hydrated through them without Apollo's request pipeline
   * (./gateway-hydrator.ts). Queries and mutations sent over the socket still run through
   * `apollo` like HTTP ones.
   */
  hydration: Omit<HydratorOptions, 'schema' | 'logger'>;
  /** Which hydration queries one run may serve a whole organization (./shared-selection.ts). */
  sharing: SharingRule;
  verifier: CredentialVerifier;
  subscriber: Redis;
  redisPrefix: string;
  logger: Logger;
  maxPendingPerSubscription?: number;
  maxBufferedBytes?: number;
  maxSubscriptionsPerConnection?: number;
  connectionInitTimeoutMs?: number;
  /**
   * How often credentials that can be revoked (API keys) are verified again while connected;
   * a revoked one closes its connections with 4403. Access tokens end at their expiry.
   */
  reverifyIntervalMs?: number;
  /** The search subgraph's URL: askStream streams from it (./ask-stream.ts); unset, it is not served. */
  searchUrl?: string;
}

export interface SubscriptionServer {
  hub: SubscriptionHub;
  connections: () => number;
  stop: () => Promise<void>;
}

type Connected = GatewayContext & { principal: NonNullable<GatewayContext['principal']> };

interface ConnectionState {
  context: Connected;
  subscriptions: number;
  expiryTimer: NodeJS.Timeout | null;
}

/** Apollo's executeOperation, answered as a formatted result (errors already formatted). */
export function apolloExecutor(apollo: ApolloServer<GatewayContext>): GatewayExecutor {
  return async (query, variables, contextValue) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') {
      return { errors: [{ message: 'Incremental delivery is not supported here' }] };
    }
    return response.body.singleResult as FormattedExecutionResult;
  };
}

/**
 * graphql-ws on the gateway's own HTTP server and path (`/graphql`). Authentication happens in
 * `connection_init` (`{ authorization: "Bearer …" }`): none → 4401, a bad or expired credential →
 * 4403; a token that expires while connected → 4403. Subscriptions are served by the hub;
 * queries and mutations sent over the socket run through the gateway like HTTP ones.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const execute = apolloExecutor(options.apollo);
  const hydrator = createGatewayHydrator({
    ...options.hydration,
    schema: options.schema,
    logger: options.logger,
  });
  const hub = new SubscriptionHub({
    subscriber: options.subscriber,
    redisPrefix: options.redisPrefix,
    execute: hydrator.execute,
    logger: options.logger,
  });
  const uncount = countSubscriptions(() => hub.size);
  const states = new WeakMap<WebSocket, ConnectionState>();
  // The socket a context belongs to (contexts are per connection).
  const socketsByContext = new WeakMap<object, WebSocket>();
  const maxPending = options.maxPendingPerSubscription ?? 100;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 100;
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql' });

  const forbid = (socket: WebSocket, reason: string) => {
    if (socket.readyState === socket.OPEN) socket.close(CloseCode.Forbidden, reason);
  };

  const sweep = startCredentialSweep({
    intervalMs: options.reverifyIntervalMs ?? 60_000,
    verifier: options.verifier,
    logger: options.logger,
    connections: function* () {
      for (const socket of wss.clients) {
        const state = states.get(socket);
        if (state) yield { context: state.context, forbid: (reason) => forbid(socket, reason) };
      }
    },
  });

  const documents = createDocumentCache();
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema: () => options.schema(),
      parse: documents.parse,
      validate: documents.validate,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? 3_000,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        const authorization = typeof raw === 'string' && raw ? raw : null;
        if (!authorization) {
          socket.close(
            CloseCode.Unauthorized,
            'Unauthorized: send { authorization } in connection_init',
          );
          return false;
        }
        try {
          const principal = await options.verifier.verify(authorization);
          if (!principal) throw new Error('no principal');
          if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= Date.now())
            throw new Error('expired');
          const state: ConnectionState = {
            context: { principal, authorization, requestId: randomUUID() },
            subscriptions: 0,
            expiryTimer: null,
          };
          if (principal.expiresAt !== undefined) {
            const ms = principal.expiresAt * 1000 - Date.now();
            // setTimeout's limit is about 24.8 days; longer-lived credentials are checked per event.
            if (ms < 2 ** 31 - 1) {
              state.expiryTimer = setTimeout(() => forbid(socket, 'Forbidden: token expired'), ms);
              state.expiryTimer.unref();
            }
          }
          states.set(socket, state);
          socketsByContext.set(state.context, socket);
          return true;
        } catch (error) {
          const message = error instanceof GraphQLError ? error.message : 'invalid credential';
          socket.close(CloseCode.Forbidden, `Forbidden: ${message}`.slice(0, 120));
          return false;
        }
      },
      onClose: (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (state?.expiryTimer) clearTimeout(state.expiryTimer);
      },
      context: (ctx) => states.get(ctx.extra.socket)?.context as unknown as Record<string, unknown>,
      // Results are already formatted (errors are plain objects): send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
      execute: (async (args: ExecutionArgs) => {
        const context = args.contextValue as Connected;
        const query = args.document.loc?.source.body;
        if (!query) return { errors: [new GraphQLError('Operation text missing')] };
        return execute(query, (args.variableValues ?? {}) as Record<string, unknown>, {
          ...context,
          requestId: randomUUID(),
        });
      }) as never,
      subscribe: (async (args: ExecutionArgs) => {
        const context = args.contextValue as Connected;
        const operation = getOperationAST(args.document, args.operationName);
        if (!operation) return { errors: [new GraphQLError('Unable to identify operation')] };
        if (isAskStream(operation)) {
          try {
            const prepared = prepareAskStream(
              args.schema,
              args.document,
              operation,
              args.variableValues as Record<string, unknown>,
            );
            return askStreamOne(context, prepared);
          } catch (error) {
            return {
              errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))],
            };
          }
        }
        let rewritten;
        try {
          rewritten = rewriteSubscription(
            args.schema,
            args.document,
            operation,
            args.variableValues as Record<string, unknown>,
            options.sharing,
          );
        } catch (error) {
          return {
            errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))],
          };
        }
        return subscribeOne(context, rewritten);
      }) as never,
    },
    wss,
  );

  /** askStream is not event-driven: each subscription streams its own answer from search. */
  function askStreamOne(
    context: Connected,
    prepared: ReturnType<typeof prepareAskStream>,
  ): AsyncGenerator<FormattedExecutionResult> | FormattedExecutionResult {
    const socket = socketsByContext.get(context);
    const state = socket ? states.get(socket) : undefined;
    if (!socket || !state) return { errors: [{ message: 'Connection is not initialised' }] };
    if (!options.searchUrl) return { errors: [{ message: 'askStream is not served here' }] };
    if (state.subscriptions >= maxSubscriptions) {
      return {
        errors: [
          {
            message: `At most ${maxSubscriptions} subscriptions per connection`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      };
    }
    state.subscriptions++;
    const stream = serveAskStream(
      prepared,
      { ...context, requestId: randomUUID() },
      { searchUrl: options.searchUrl, execute: hydrator.execute, logger: options.logger },
    );
    return (async function* counted() {
      try {
        yield* stream;
      } finally {
        state.subscriptions--;
      }
    })();
  }

  async function subscribeOne(
    context: Connected,
    rewritten: ReturnType<typeof rewriteSubscription>,
  ): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
    const socket = socketsByContext.get(context);
    const state = socket ? states.get(socket) : undefined;
    if (!socket || !state) return { errors: [{ message: 'Connection is not initialised' }] };
    if (state.subscriptions >= maxSubscriptions) {
      return {
        errors: [
          {
            message: `At most ${maxSubscriptions} subscriptions per connection`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      };
    }
    // The gateway's limits apply to the query each event runs: refused now, not per event.
    const refused = hydrator.prepare(rewritten.query);
    if (refused) return { errors: [...refused] };
    if (refused === null) warmUp(context, rewritten);
    state.subscriptions++;
    let remove: () => void = () => undefined;
    const slow = () => {
      if (socket.readyState === socket.OPEN)
        socket.close(CloseCode.SlowConsumer, 'Slow consumer: reconnect and resubscribe');
    };
    const stream = new EventStream<FormattedExecutionResult>({
      maxPending,
      onOverflow: slow,
      onEnd: () => {
        state.subscriptions--;
        remove();
      },
    });
    const active: ActiveSubscription = {
      context,
      rewritten,
      push: (result) => {
        if (socket.bufferedAmount > maxBuffered) return slow();
        stream.push(result);
      },
      expire: () => forbid(socket, 'Forbidden: token expired'),
    };
    socket.once('close', () => stream.end());
    remove = await hub.add(active);
    if (stream.done) remove();
    return stream;
  }

  /**
   * The first subscriber of a new selection has it hydrated once, for an id no entity has
   * (the subgraph answers null with the subscriber's own credential): the query plan is built
   * and cached now rather than on the first event (planning cost that event 100 ms and more
   * here), and the plan's entity fetches are sent once too (./plan-warm-up.ts). Nothing is sent
   * to anyone.
   */
  function warmUp(context: Connected, rewritten: ReturnType<typeof rewriteSubscription>): void {
    hydrator
      .execute(
        rewritten.query,
        { ...rewritten.variables, [EVENT_ENTITY_VARIABLE]: randomUUID() },
        asWarmUp({ ...context, requestId: randomUUID() }),
      )
      .catch((error: unknown) =>
        options.logger.warn({ err: error }, 'subscription warm-up failed'),
      );
  }

  return {
    hub,
    connections: () => wss.clients.size,
    stop: async () => {
      sweep.stop();
      for (const client of wss.clients) client.close(CloseCode.GoingAway, 'Server shutting down');
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await hub.drain();
      uncount();
    },
  };
}
