import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import type { GraphQLFormattedError, ValidationRule } from 'graphql';
import type { Principal } from '../core/auth/principal';
import type { Config } from '../core/config/config';
import type { ReadRequest } from '../core/http/apollo-handler';
import { maskUnexpectedError } from '../core/graphql/subgraph';
import type { Logger } from '../core/logging/logger';
import { createRedis } from '../core/redis/redis';
import { currentContext } from '../core/tenancy/request-context';
import { graphqlMetricsPlugin } from '../core/observability/metrics';
import type { CredentialVerifier } from '../core/auth/credential-verifier';
import { cacheHitFastPath, type ChargedRequests } from './cache/cache-hit-fast-path';
import { ResponseCache } from './cache/response-cache';
import type { GatewayContext } from './gateway-context';
import { protection } from './limits/protection';
import { RateLimiter } from './limits/rate-limiter';
import { loadManifest } from './persisted-queries/manifest';
import { RedisKeyValueCache } from './persisted-queries/redis-key-value-cache';
import { ManifestBackedApqCache, Safelist, safelistPlugin } from './persisted-queries/safelist';

/**
 * What the gateway adds in front of the query planner for clients: operation limits, rate
 * limits, persisted queries (APQ in Redis, safelisting by manifest), masked errors carrying the
 * request id. `gateway/server.ts` plugs these into its Apollo Server and its context.
 */
export interface GatewayEdge {
  apollo: Pick<
    ApolloServerOptions<GatewayContext>,
    'persistedQueries' | 'formatError' | 'allowBatchedHttpRequests' | 'parseOptions'
  > & { plugins: ApolloServerPlugin<GatewayContext>[]; validationRules: ValidationRule[] };
  /** Called once per HTTP request after the credential is verified; throws RATE_LIMITED. */
  admit: (principal: Principal | null, request: IncomingMessage) => Promise<void>;
  responseCache: ResponseCache | null;
  /** Answers response-cache hits before Apollo (apolloHandler's shortcut); null: cache off. */
  serveCachedHit: ((read: ReadRequest, response: ServerResponse) => Promise<boolean>) | null;
  close: () => Promise<void>;
}

const CONTEXT_PREFIX = 'Context creation failed: ';

export function createGatewayEdge(
  config: Config,
  logger: Logger,
  verifier: Pick<CredentialVerifier, 'verify'>,
): GatewayEdge {
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'gateway redis connection error'));
  const limits = protection(config);
  const rateLimiter = new RateLimiter(redis, config);
  const manifest = config.PERSISTED_QUERY_MANIFEST
    ? loadManifest(config.PERSISTED_QUERY_MANIFEST)
    : null;
  const safelist = new Safelist(manifest, config.SAFELIST_CLIENTS);
  if (manifest)
    logger.info(
      { operations: safelist.size, clients: config.SAFELIST_CLIENTS },
      'persisted-query manifest loaded',
    );
  const apqPrefix = `${config.REDIS_PREFIX}:gateway:`;
  const apq = new RedisKeyValueCache(redis, apqPrefix);
  const mask = maskUnexpectedError(logger);
  const responseCache = config.RESPONSE_CACHE ? new ResponseCache(redis, config, logger) : null;
  const charged: ChargedRequests = new WeakMap();

  return {
    apollo: {
      persistedQueries: {
        cache: manifest ? new ManifestBackedApqCache(safelist, apq) : apq,
        ttl: config.APQ_TTL_SECONDS,
      },
      allowBatchedHttpRequests: false,
      parseOptions: limits.parseOptions,
      plugins: [
        graphqlMetricsPlugin<GatewayContext>(),
        ...limits.plugins,
        safelistPlugin(safelist),
        // Subgraph hints make up each request's cache policy; clients get no cache-control
        // header: the gateway's own cache is invalidated by events, a browser's would not be.
        ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
        ...(responseCache ? [responseCache.plugin()] : []),
      ],
      validationRules: limits.validationRules,
      formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
        // Errors thrown while building the context (bad credential, rate limit) are the caller's.
        const message = formatted.message.startsWith(CONTEXT_PREFIX)
          ? formatted.message.slice(CONTEXT_PREFIX.length)
          : formatted.message;
        const masked = mask({ ...formatted, message }, error);
        const requestId = currentContext()?.requestId;
        if (masked.extensions?.code !== 'INTERNAL_SERVER_ERROR' || !requestId) return masked;
        return { ...masked, extensions: { ...masked.extensions, requestId } };
      },
    },
    admit: async (principal, request) => {
      try {
        await rateLimiter.enforce(principal, request, charged.get(request));
      } catch (error) {
        if ((error as { extensions?: { code?: string } }).extensions?.code === 'RATE_LIMITED')
          throw error;
        // Redis unavailable: serve rather than fail every request; the limit resumes with Redis.
        logger.warn({ err: error }, 'rate limiter unavailable');
      }
    },
    responseCache,
    serveCachedHit: responseCache
      ? cacheHitFastPath({
          cache: responseCache,
          redis,
          verifier,
          rateLimiter,
          safelist,
          // Apollo keeps APQ texts under "apq:<hash>" in the store it is given.
          persistedQueryPrefix: `${apqPrefix}apq:`,
          charged,
          logger,
        })
      : null,
    close: async () => {
      responseCache?.close();
      redis.disconnect();
    },
  };
}
