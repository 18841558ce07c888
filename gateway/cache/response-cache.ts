import { hash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Principal } from '../../core/auth/principal';
import type { Config } from '../../core/config/config';
import type { Logger } from '../../core/logging/logger';
import { responseCacheLookups } from '../../core/observability/metrics';
import { createRedis } from '../../core/redis/redis';
import type { GatewayContext } from '../gateway-context';
import { entityTags, idsIn } from './entity-tags';
import { KnownOperations } from './known-operations';
import { redisScript, type RedisScript } from './redis-script';

/** The ids an event names (aggregate and payload); none when the message is not an event. */
function eventIds(message: string): Set<string> {
  try {
    const event = JSON.parse(message) as { aggregateId?: unknown; payload?: unknown };
    return idsIn([event.aggregateId, event.payload]);
  } catch {
    return new Set();
  }
}

/**
 * Lua: the organization's list generation and invalidation sequence, then for the caller's
 * private scope and then the role's shared scope, a list entry under the current generation or
 * an entity entry whose every tag still has the generation it was stored with. Shared by the
 * plugin's lookup and the hit path's (gateway/cache/cache-hit-fast-path.ts): one definition of
 * what a hit is.
 */
export const LOOKUP_FUNCTION = `
local function lookup(genKey, seqKey, entryPrefix, privateKey, sharedKey, tagPrefix)
  local gen = redis.call('GET', genKey) or '0'
  local seq = redis.call('GET', seqKey) or '0'
  for _, scope in ipairs({ privateKey, sharedKey }) do
    local value = redis.call('GET', entryPrefix .. gen .. ':' .. scope)
    if value then return { gen, seq, value } end
    local stored = redis.call('GET', entryPrefix .. 'e:' .. scope)
    if stored then
      local entry = cjson.decode(stored)
      local fresh = true
      for id, tagGen in pairs(entry.tags) do
        if (redis.call('GET', tagPrefix .. id) or '0') ~= tagGen then fresh = false; break end
      end
      if fresh then return { gen, seq, entry.body } end
    end
  end
  return { gen, seq, false }
end`;

/** One round trip. KEYS: generation, sequence. ARGV: entry prefix, private, shared, tag prefix. */
const LOOKUP = `${LOOKUP_FUNCTION}
return lookup(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])`;

/**
 * Stores an entity entry with its tags' current generations, unless anything in the
 * organization was invalidated since the lookup (the answer may predate that change).
 * KEYS: sequence. ARGV: sequence at lookup, entry key, ttl, body, tag prefix, ids...
 */
const STORE_ENTITY = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
local tags = {}
for i = 6, #ARGV do tags[ARGV[i]] = redis.call('GET', ARGV[5] .. ARGV[i]) or '0' end
redis.call('SET', ARGV[2], cjson.encode({ tags = tags, body = ARGV[4] }), 'EX', ARGV[3])
return 1`;

/**
 * Lists (and id-less answers) of the organization go stale: bump its generation and sequence;
 * each named entity's tag generation too, kept well past any entry's lifetime.
 * KEYS: generation, sequence. ARGV: tag prefix, tag ttl, ids...
 */
const INVALIDATE = `
redis.call('INCR', KEYS[1])
redis.call('INCR', KEYS[2])
for i = 3, #ARGV do
  local key = ARGV[1] .. ARGV[i]
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[2])
end
return 1`;

/** What identifies one operation's answer: the query, the operation the client named, the variables. */
export function operationCacheKey(
  queryHash: string,
  requestedOperationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): string {
  // The name as requested, not as resolved: the hit path must compute the key without parsing,
  // and the query text with the requested name determines the operation.
  return hash(
    'sha256',
    JSON.stringify([queryHash, requestedOperationName ?? null, variables ?? {}]),
    'base64url',
  );
}

/** The keys and arguments of LOOKUP_FUNCTION for one caller and operation. */
export interface LookupKeys {
  generationKey: string;
  sequenceKey: string;
  entryPrefix: string;
  privateKey: string;
  sharedKey: string;
  tagPrefix: string;
}

/**
 * A stored answer is the exact bytes Apollo sends for it (its JSON and a newline), so the hit
 * path writes what Redis returns without parsing or re-encoding it.
 */
function storedAnswer(data: unknown): string {
  return `${JSON.stringify({ data })}\n`;
}

/** Tag generations outlive every entry (entries are capped well below), so none resurfaces. */
const TAG_TTL_SECONDS = 7 * 24 * 3600;
const MAX_ENTRY_TTL_SECONDS = 24 * 3600;

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
 * - Invalidation per entity where possible: an answer that is one entity (or a few: no array of
 *   objects, at most MAX_TAGS ids) is tagged with the ids in it, and stays valid until an event
 *   or a mutation names one of them (the event's aggregate and any id in its payload, the
 *   mutation's variables and answer). Lists, and answers that name no entity, depend on the
 *   organization's generation, which every event and mutation bumps: a new document changes a
 *   list whatever it is. So a cached `document(id: A)` survives a change to B, a cached
 *   `documents` list does not.
 * - Never stale: list entries are stored under the generation read at lookup; entity entries
 *   are stored only if no invalidation happened in the organization since the lookup (a
 *   sequence number), so an answer computed before a change is never served after it.
 * - The `x-cache` header says HIT or MISS on every query that was looked up.
 */
export class ResponseCache {
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0 };
  /** Query documents Apollo accepted here: the only ones the hit path serves. */
  readonly known = new KnownOperations();
  private readonly subscriber: Redis;
  private readonly base: string;
  private readonly lookup: RedisScript<[string, string, string | null]>;
  private readonly storeEntity: RedisScript<number>;
  private readonly invalidateScript: RedisScript<number>;
  private readonly hits = responseCacheLookups.labels({ result: 'hit' });
  private readonly misses = responseCacheLookups.labels({ result: 'miss' });

  constructor(
    private readonly redis: Redis,
    config: Config,
    private readonly logger: Logger,
  ) {
    this.base = `${config.REDIS_PREFIX}:gateway:rc:`;
    this.lookup = redisScript(redis, LOOKUP);
    this.storeEntity = redisScript(redis, STORE_ENTITY);
    this.invalidateScript = redisScript(redis, INVALIDATE);
    const channels = `${config.REDIS_PREFIX}:events:`;
    this.subscriber = createRedis(config.REDIS_URL);
    this.subscriber.on('error', (error) =>
      logger.warn({ err: error }, 'response cache subscriber error'),
    );
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      void this.invalidate(channel.slice(channels.length), eventIds(message));
    });
    void this.subscriber.psubscribe(`${channels}*`).catch((error: unknown) => {
      logger.warn({ err: error }, 'response cache could not subscribe to events');
    });
  }

  private generationKey(organizationId: string): string {
    return `${this.base}gen:${organizationId}`;
  }

  private sequenceKey(organizationId: string): string {
    return `${this.base}seq:${organizationId}`;
  }

  private tagPrefix(organizationId: string): string {
    return `${this.base}tag:${organizationId}:`;
  }

  /** The organization's lists go stale, and every entry that names one of `ids`. */
  async invalidate(organizationId: string, ids: Iterable<string> = []): Promise<void> {
    if (!/^[\w-]+$/.test(organizationId)) return;
    await this.invalidateScript(
      [this.generationKey(organizationId), this.sequenceKey(organizationId)],
      [this.tagPrefix(organizationId), TAG_TTL_SECONDS, ...ids],
    ).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'response cache invalidation failed');
    });
  }

  /**
   * Where one caller's answer to one operation may be: the organization's keys and the two
   * scopes, the user (or API key) for PRIVATE answers, the role otherwise (today's visibility
   * context). The one definition of the key, for the plugin and the hit path.
   */
  lookupKeys(principal: Principal, operationKey: string): LookupKeys {
    const organizationId = principal.organizationId;
    const who = principal.kind === 'apiKey' ? `k:${principal.apiKeyId}` : `u:${principal.userId}`;
    return {
      generationKey: this.generationKey(organizationId),
      sequenceKey: this.sequenceKey(organizationId),
      entryPrefix: `${this.base}${organizationId}:`,
      privateKey: `${who}:${operationKey}`,
      sharedKey: `r:${principal.role}:${operationKey}`,
      tagPrefix: this.tagPrefix(organizationId),
    };
  }

  /** Counts a hit served (by the plugin or by the hit path): the hit ratio stays true. */
  countHit(): void {
    this.stats.hits += 1;
    this.hits.inc();
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
        let lookedUp: { generation: string; sequence: string; keys: LookupKeys } | null = null;
        let hit = false;
        return {
          async responseForOperation({ operation, queryHash, operationName, request }) {
            if (operation?.operation !== 'query' || !queryHash) return null;
            // Parsed, validated, past every didResolveOperation check (the safelist's too).
            cache.known.remember(queryHash, request.operationName, operationName);
            const keys = cache.lookupKeys(
              principal,
              operationCacheKey(queryHash, request.operationName, request.variables),
            );
            try {
              const [generation, sequence, value] = await cache.lookup(
                [keys.generationKey, keys.sequenceKey],
                [keys.entryPrefix, keys.privateKey, keys.sharedKey, keys.tagPrefix],
              );
              lookedUp = { generation, sequence, keys };
              if (!value) return null;
              hit = true;
              cache.countHit();
              return {
                http: { headers: new HeaderMap([['x-cache', 'HIT']]) },
                body: { kind: 'single', singleResult: JSON.parse(value) },
              };
            } catch (error) {
              cache.logger.warn({ err: error }, 'response cache lookup failed');
              return null;
            }
          },
          async willSendResponse({ operation, response, overallCachePolicy, request }) {
            if (operation?.operation === 'mutation') {
              // At once, before the event arrives: the caller reads its own write.
              const ids = idsIn(request.variables);
              if (response.body.kind === 'single') idsIn(response.body.singleResult.data, ids);
              await cache.invalidate(principal.organizationId, ids);
              return;
            }
            if (!lookedUp || hit) return;
            cache.stats.misses += 1;
            cache.misses.inc();
            response.http.headers.set('x-cache', 'MISS');
            if (response.body.kind !== 'single' || response.body.singleResult.errors) return;
            const policy = overallCachePolicy.policyIfCacheable();
            if (!policy) return;
            const { keys, generation, sequence } = lookedUp;
            const scopeKey = policy.scope === 'PRIVATE' ? keys.privateKey : keys.sharedKey;
            const data = response.body.singleResult.data;
            const value = storedAnswer(data);
            const ttl = Math.min(policy.maxAge, MAX_ENTRY_TTL_SECONDS);
            const tags = entityTags(data);
            const stored = tags
              ? cache.storeEntity(
                  [keys.sequenceKey],
                  [
                    sequence,
                    `${keys.entryPrefix}e:${scopeKey}`,
                    ttl,
                    value,
                    keys.tagPrefix,
                    ...tags,
                  ],
                )
              : cache.redis.set(`${keys.entryPrefix}${generation}:${scopeKey}`, value, 'EX', ttl);
            await stored.catch((error: unknown) => {
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
