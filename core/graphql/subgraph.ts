import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { AccessTokens } from '../auth/access-token';
import { CredentialVerifier, type ApiKeyResolver } from '../auth/credential-verifier';
import { RemoteApiKeyResolver } from '../auth/remote-api-key-resolver';
import type { Principal } from '../auth/principal';
import { createSubgraphDataSource } from '../db/data-source';
import { createRedis } from '../redis/redis';
import { apolloHandler } from '../http/apollo-handler';
import { roleApolloOptions } from '../http/role-apollo-options';
import { createRoleServer, listen, type RouteHandler } from '../http/role-server';
import { runInContext } from '../tenancy/request-context';
import { ErrorCode } from '../errors';
import { buildFederatedSchema } from './federated-schema';
import { cacheHintsPlugin } from './cache-hints';
import { graphqlMetricsPlugin } from '../observability/metrics';

export type SubgraphName = 'accounts' | 'documents' | 'search' | 'compliance' | 'notifications';

export interface SubgraphContext {
  principal: Principal | null;
  requestId: string;
}

/** What a subgraph's services are built from, once per process. */
export interface SubgraphRuntime {
  config: Config;
  dataSource: DataSource;
  redis: Redis;
  logger: Logger;
  accessTokens: AccessTokens;
}

/**
 * Everything one subgraph is: its schema (type-graphql resolvers), its tables, how its
 * services are wired. Resolver classes are constructed with the subgraph's services.
 */
export interface SubgraphDefinition<Services> {
  name: SubgraphName;
  port: (config: Config) => number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  /** Entity types reached by no root field of this subgraph (see FederatedSchemaOptions). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  createServices: (runtime: SubgraphRuntime) => Services;
  referenceResolvers?: (services: Services) => GraphQLResolverMap<unknown>;
  /** Resolves API keys locally (accounts); every other subgraph asks accounts over HTTP. */
  apiKeyResolver?: (services: Services) => ApiKeyResolver;
  /** Extra HTTP routes of this role, e.g. internal endpoints. */
  routes?: (services: Services) => Record<string, RouteHandler>;
  /** Releases what the services hold (queues, connections) when the subgraph stops. */
  closeServices?: (services: Services) => Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraphDefinition = SubgraphDefinition<any>;

export interface RunningSubgraph {
  name: SubgraphName;
  port: number;
  url: string;
  dataSource: DataSource;
  stop: () => Promise<void>;
}

function schemaFor<S>(
  definition: SubgraphDefinition<S>,
  services: S | undefined,
): Promise<GraphQLSchema> {
  const instances = new Map<unknown, unknown>();
  return buildFederatedSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    container: {
      get(someClass: new (services: S | undefined) => unknown) {
        if (!instances.has(someClass)) instances.set(someClass, new someClass(services));
        return instances.get(someClass);
      },
    },
    referenceResolvers:
      services === undefined ? undefined : definition.referenceResolvers?.(services),
  });
}

/** The subgraph's SDL as the gateway sees it; written to schema/<name>.graphql. */
export async function printSubgraphSdl<S>(definition: SubgraphDefinition<S>): Promise<string> {
  return printSubgraphSchema(await schemaFor(definition, undefined));
}

/** Errors that are not ours to explain are masked; their detail goes to the log. */
export function maskUnexpectedError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    logger.error({ err: error }, 'unexpected error in resolver');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

export async function startSubgraph<S>(
  definition: SubgraphDefinition<S>,
  config: Config,
  logger: Logger,
  options: { port?: number } = {},
): Promise<RunningSubgraph> {
  const dataSource = createSubgraphDataSource({
    url: config.DATABASE_URL,
    schema: definition.name,
    entities: definition.entities,
    migrations: definition.migrations,
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await dataSource.initialize();
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: `${config.REDIS_PREFIX}:${definition.name}:`,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const accessTokens = new AccessTokens({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const services = definition.createServices({ config, dataSource, redis, logger, accessTokens });
  const verifier = new CredentialVerifier(
    accessTokens,
    definition.apiKeyResolver?.(services) ??
      RemoteApiKeyResolver.fromAccountsGraphqlUrl(config.ACCOUNTS_URL),
  );

  const schema = await schemaFor(definition, services);
  const routes: Record<string, RouteHandler> = { ...(definition.routes?.(services) ?? {}) };
  const httpServer = createRoleServer({
    role: definition.name,
    logger,
    routes,
    isReady: async () => {
      await dataSource.query('SELECT 1');
      return (await redis.ping()) === 'PONG';
    },
  });
  const { drainPlugin, ...shared } = roleApolloOptions<SubgraphContext>(
    httpServer,
    config.SHUTDOWN_GRACE_MS,
  );
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    ...shared,
    introspection: true,
    formatError: maskUnexpectedError(logger),
    plugins: [
      drainPlugin,
      // Traces are for Apollo's hosted reporting, which Docent never uses.
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints, sent to the gateway as `cache-control` (core/graphql/cache-hints.ts).
      cacheHintsPlugin(definition.name),
      graphqlMetricsPlugin(),
    ],
  });
  await apollo.start();

  // Verified once per request, read both by the GraphQL context and the request's AsyncLocalStorage.
  const verified = new WeakMap<IncomingMessage, Promise<Principal | null>>();
  const verify = (request: IncomingMessage) => {
    if (!verified.has(request))
      verified.set(request, verifier.verify(request.headers.authorization));
    return verified.get(request)!;
  };
  const graphql = apolloHandler(apollo, {
    maxRequestBytes: config.MAX_REQUEST_BYTES,
    // Subgraphs verify the forwarded token themselves: no identity header is ever trusted.
    context: async ({ request, requestId }) => ({ principal: await verify(request), requestId }),
    wrap: async ({ request, requestId }, run) => {
      const principal = await verify(request).catch(() => null);
      return runInContext({ principal, requestId }, run);
    },
  });
  routes['/graphql'] = graphql;
  const port = await listen(httpServer, options.port ?? definition.port(config), config.HOST);
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, `${definition.name} subgraph ready`);

  return {
    name: definition.name,
    port,
    url,
    dataSource,
    stop: async () => {
      await apollo.stop();
      await definition.closeServices?.(services);
      redis.disconnect();
      await dataSource.destroy();
    },
  };
}
