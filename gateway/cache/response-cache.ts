import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Principal } from '../../core/auth/principal';
import type { Config } from '../../core/config/config';
import type { Logger } from '../../core/logging/logger';
import { responseCacheLookups } from '../../core/observability/metrics';
import { createRedis } from '../../core/redis/redis';
import type { GatewayContext } from '../gateway-context';

/**
 * Reads the organization's cache generation, then the caller's private entry, then the entry
 * shared by its organization and role: one round trip.
 */
const LOOKUP = `
local gen = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])
if not value then value = redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[3]) end
return { gen, value or false }`;

export interface ResponseCacheStats {
  hits: number;
  misses: number;
}

/**
 * Whole-response cache in Redis for queries whose every part the subgraphs hint as cacheable
 * (`cache-control` headers, combined by @apollo/gateway into the request's cache policy).
 *
 * - Keys hold the organization, its cache generation, and the scope: the user for PRIVATE
 *   answers, the role otherwise (today's visibility context). Anonymous calls are never cached.
 * - Invalidation: a mutation through any gateway, and any event on the organization's channel
 *   (`<prefix>:events:<organizationId>`, published by the outbox relay), bump the generation;
 *   older entries become unreachable and expire. An answer computed before a bump is stored
 *   under the generation read at lookup, so it can never be served after the change.
 * - The `x-cache` header says HIT or MISS on every query that was looked up.
 */
export class ResponseCache {
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0 };
  private readonly subscriber: Redis;
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    config: Config,
    private readonly logger: Logger,
  ) {
    this.base = `${config.REDIS_PREFIX}:gateway:rc:`;
    const channels = `${config.REDIS_PREFIX}:events:`;
    this.subscriber = createRedis(config.REDIS_URL);
    this.subscriber.on('error', (error) =>
      logger.warn({ err: error }, 'response cache subscriber error'),
    );
    this.subscriber.on('pmessage', (_pattern: string, channel: string) => {
      void this.invalidate(channel.slice(channels.length));
    });
    void this.subscriber.psubscribe(`${channels}*`).catch((error: unknown) => {
      logger.warn({ err: error }, 'response cache could not subscribe to events');
    });
  }

  private generationKey(organizationId: string): string {
    return `${this.base}gen:${organizationId}`;
  }

  /** Every cached answer of the organization becomes unreachable. */
  async invalidate(organizationId: string): Promise<void> {
    if (!/^[\w-]+$/.test(organizationId)) return;
    await this.redis.incr(this.generationKey(organizationId)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'response cache invalidation failed');
    });
  }

  private scopes(
    principal: Principal,
    operationKey: string,
  ): { privateKey: string; sharedKey: string } {
    const who = principal.kind === 'apiKey' ? `k:${principal.apiKeyId}` : `u:${principal.userId}`;
    return {
      privateKey: `${who}:${operationKey}`,
      sharedKey: `r:${principal.role}:${operationKey}`,
    };
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const cache = this;
    return {
      async requestDidStart({ contextValue, request: incoming }) {
        const principal = contextValue.principal;
        // Only client HTTP requests: the gateway's own in-process operations (subscription
        // events hydrated through `executeOperation`) must read fresh data, not race the
        // invalidation of the very event they announce.
        if (!principal || !incoming.http) return;
        const prefix = `${cache.base}${principal.organizationId}:`;
        let lookedUp: { generation: string; privateKey: string; sharedKey: string } | null = null;
        let hit = false;
        return {
          async responseForOperation({ operation, queryHash, operationName, request }) {
            if (operation?.operation !== 'query') return null;
            const operationKey = createHash('sha256')
              .update(JSON.stringify([queryHash, operationName, request.variables ?? {}]))
              .digest('base64url');
            const keys = cache.scopes(principal, operationKey);
            try {
              const [generation, value] = (await cache.redis.eval(
                LOOKUP,
                1,
                cache.generationKey(principal.organizationId),
                prefix,
                keys.privateKey,
                keys.sharedKey,
              )) as [string, string | null];
              lookedUp = { generation, ...keys };
              if (!value) return null;
              hit = true;
              cache.stats.hits += 1;
              responseCacheLookups.inc({ result: 'hit' });
              return {
                http: { headers: new HeaderMap([['x-cache', 'HIT']]) },
                body: { kind: 'single', singleResult: JSON.parse(value) },
              };
            } catch (error) {
              cache.logger.warn({ err: error }, 'response cache lookup failed');
              return null;
            }
          },
          async willSendResponse({ operation, response, overallCachePolicy }) {
            if (operation?.operation === 'mutation') {
              await cache.invalidate(principal.organizationId);
              return;
            }
            if (!lookedUp || hit) return;
            cache.stats.misses += 1;
            responseCacheLookups.inc({ result: 'miss' });
            response.http.headers.set('x-cache', 'MISS');
            if (response.body.kind !== 'single' || response.body.singleResult.errors) return;
            const policy = overallCachePolicy.policyIfCacheable();
            if (!policy) return;
            const key = `${prefix}${lookedUp.generation}:${policy.scope === 'PRIVATE' ? lookedUp.privateKey : lookedUp.sharedKey}`;
            const value = JSON.stringify({ data: response.body.singleResult.data });
            await cache.redis.set(key, value, 'EX', policy.maxAge).catch((error: unknown) => {
              cache.logger.warn({ err: error }, 'response cache store failed');
            });
          },
        };
      },
    };
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
