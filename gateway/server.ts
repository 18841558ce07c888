import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { AccessTokens } from '../core/auth/access-token';
import { CredentialVerifier } from '../core/auth/credential-verifier';
import { RemoteApiKeyResolver } from '../core/auth/remote-api-key-resolver';
import { introspectionEnabled, type Config } from '../core/config/config';
import { apolloHandler } from '../core/http/apollo-handler';
import { roleApolloOptions } from '../core/http/role-apollo-options';
import { createRoleServer, listen, type RouteHandler } from '../core/http/role-server';
import { createObjectStorage, LocalObjectStorage, localFileRoutes } from '../core/storage';
import type { Logger } from '../core/logging/logger';
import { runInContext } from '../core/tenancy/request-context';
import { AuthenticatedDataSource } from './authenticated-data-source';
import { createGatewayEdge } from './edge';
import { explorerRoutes } from './explorer/explorer-route';
import { schemaRoute } from './explorer/schema-route';
import type { GatewayContext } from './gateway-context';
import { createSubgraphFetcher, dedupingFetcher, timedFetcher } from './subgraph-fetcher';
import { readSupergraph, subgraphUrls } from './supergraph';
import { warmEntityFetches } from './subscriptions/plan-warm-up';
import { createSharingRule } from './subscriptions/shared-selection';
import { createRedis } from '../core/redis/redis';
import {
  startSubscriptionServer,
  type SubscriptionServer,
} from './subscriptions/subscription-server';

export interface RunningGateway {
  port: number;
  url: string;
  /** graphql-ws on the same port and path (gateway/subscriptions/). */
  subscriptions: SubscriptionServer;
  stop: () => Promise<void>;
}

export async function startGateway(
  config: Config,
  logger: Logger,
  options: { port?: number } = {},
): Promise<RunningGateway> {
  // @apollo/gateway reads this from the environment; the config guarantees it is 'true'.
  process.env.APOLLO_TELEMETRY_DISABLED = config.APOLLO_TELEMETRY_DISABLED;
  const urls = subgraphUrls(config);
  const subgraphFetcher = createSubgraphFetcher(config.SUBGRAPH_TIMEOUT_MS);
  const supergraphSdl = readSupergraph(config);
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Subscriptions' warm-ups also send their plan's entity fetches (./subscriptions/plan-warm-up.ts).
    experimental_didResolveQueryPlan: warmEntityFetches(logger),
    buildService: ({ name, url }) =>
      new AuthenticatedDataSource({
        url: urls[name as keyof typeof urls] ?? url,
        fetcher: dedupingFetcher(timedFetcher(name, subgraphFetcher.fetcher)),
      }),
  });
  const verifier = new CredentialVerifier(
    new AccessTokens({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    RemoteApiKeyResolver.fromAccountsGraphqlUrl(config.ACCOUNTS_URL),
  );

  // Limits, rate limits, persisted queries, masked errors (gateway/edge.ts).
  const edge = createGatewayEdge(config, logger, verifier);

  const routes: Record<string, RouteHandler> = {};
  // Local storage: the signed upload and download URLs the documents subgraph hands out.
  if (config.STORAGE === 'local') {
    const storage = createObjectStorage(config);
    if (storage instanceof LocalObjectStorage) Object.assign(routes, localFileRoutes(storage));
  }
  const httpServer = createRoleServer({
    role: 'gateway',
    logger,
    routes,
    isReady: async () => {
      const answers = await Promise.all(
        Object.values(urls).map((url) =>
          fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) }).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return answers.every(Boolean);
    },
  });
  const { drainPlugin, ...shared } = roleApolloOptions<GatewayContext>(
    httpServer,
    config.SHUTDOWN_GRACE_MS,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: introspectionEnabled(config),
    ...shared,
    ...edge.apollo,
    plugins: [...edge.apollo.plugins, drainPlugin, ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  routes['/schema.graphql'] = schemaRoute(() => gateway.schema, introspectionEnabled(config));
  // GraphiQL, self-hosted (gateway/explorer/): nothing comes from a CDN.
  Object.assign(routes, explorerRoutes(introspectionEnabled(config), logger));
  routes['/graphql'] = apolloHandler(apollo, {
    maxRequestBytes: config.MAX_REQUEST_BYTES,
    context: async ({ request, requestId }) => {
      const authorization = request.headers.authorization ?? null;
      // A bad credential fails here, before any subgraph is asked.
      const principal = await verifier.verify(authorization);
      await edge.admit(principal, request);
      return { principal, authorization, requestId };
    },
    // The request id reaches error formatting (masked errors carry it) and the logs.
    wrap: ({ requestId }, run) => runInContext({ requestId, principal: null }, run),
    // Response-cache hits answered without Apollo's pipeline (gateway/cache/cache-hit-fast-path.ts).
    shortcut: edge.serveCachedHit ?? undefined,
  });

  // Subscriptions over graphql-ws on the same server and path (gateway/subscriptions/).
  const eventSubscriber = createRedis(config.REDIS_URL, { maxRetriesPerRequest: null });
  eventSubscriber.on('error', (error) => logger.warn({ err: error }, 'event subscriber error'));
  const subscriptions = startSubscriptionServer({
    httpServer,
    apollo,
    schema: () => gateway.schema!,
    hydration: {
      executor: gateway.executor,
      validationRules: edge.apollo.validationRules,
      parseOptions: edge.apollo.parseOptions,
      formatError: edge.apollo.formatError,
    },
    sharing: createSharingRule(supergraphSdl),
    verifier,
    subscriber: eventSubscriber,
    redisPrefix: config.REDIS_PREFIX,
    logger,
    searchUrl: urls.search,
    reverifyIntervalMs: config.SUBSCRIPTION_REVERIFY_MS,
  });

  const port = await listen(httpServer, options.port ?? config.GATEWAY_PORT, config.HOST);
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, 'gateway ready');
  return {
    port,
    url,
    subscriptions,
    stop: async () => {
      await subscriptions.stop();
      eventSubscriber.disconnect();
      await apollo.stop();
      await subgraphFetcher.close();
      await edge.close();
    },
  };
}
