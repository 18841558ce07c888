import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { ReadRequest } from '../../core/http/apollo-handler';
import type { Logger } from '../../core/logging/logger';
import type { CredentialVerifier } from '../../core/auth/credential-verifier';
import { CHARGE_FUNCTION, type RateLimiter, type RateWindow } from '../limits/rate-limiter';
import type { Safelist } from '../persisted-queries/safelist';
import { readCacheableRequest } from './cacheable-request';
import { redisScript } from './redis-script';
import { LOOKUP_FUNCTION, operationCacheKey, type ResponseCache } from './response-cache';

/**
 * One round trip for a hit: charge the rate limit, check the persisted query is still stored,
 * look the answer up (the plugin's own lookup function). Over the limit or no persisted query:
 * no lookup, and Apollo answers with its error.
 * KEYS: generation, sequence, rate counter ('' when unlimited), persisted query key ('' when the
 * text came with the request or the manifest holds it).
 * ARGV: entry prefix, private key, shared key, tag prefix, counter ttl, limit.
 * Answers { count, answer or nothing }.
 */
const HIT = `${CHARGE_FUNCTION}
${LOOKUP_FUNCTION}
local count = 0
if KEYS[3] ~= '' then
  count = charge(KEYS[3], ARGV[5])
  if count > tonumber(ARGV[6]) then return { count } end
end
if KEYS[4] ~= '' and redis.call('EXISTS', KEYS[4]) == 0 then return { count } end
return { count, lookup(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])[3] }`;

/** A request the hit path charged to its rate window (Apollo must not charge it again). */
export type ChargedRequests = WeakMap<IncomingMessage, { window: RateWindow; count: number }>;

export interface CacheHitFastPathOptions {
  cache: ResponseCache;
  redis: Redis;
  verifier: Pick<CredentialVerifier, 'verify'>;
  rateLimiter: RateLimiter;
  safelist: Safelist;
  /** Where Apollo's APQ store keeps a hash's text (`<prefix>:gateway:` + Apollo's `apq:`). */
  persistedQueryPrefix: string;
  charged: ChargedRequests;
  logger: Logger;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Serves response-cache hits without Apollo Server's request pipeline (apolloHandler's
 * shortcut). Everything that could refuse the request is checked as Apollo would, in its
 * order: the request's shape and CSRF rules (readCacheableRequest), the credential (the same
 * verifier), the document (only queries Apollo has parsed and validated in this process:
 * ResponseCache.known), the safelist of the client, the rate limit and the persisted query
 * (in Redis, with the lookup). Whatever is not a plain hit returns false untouched except for
 * the rate-limit charge, which Apollo then reads instead of charging again: Apollo answers it
 * exactly as before (errors, misses, stores, MISS header).
 *
 * The answer is the stored bytes (what Apollo would send for the hit), `x-cache: HIT` and
 * `x-cache-path: fast`; the request and hit metrics count it like any other answer.
 */
export function cacheHitFastPath(options: CacheHitFastPathOptions) {
  const { cache, verifier, rateLimiter, safelist, charged, logger } = options;
  const lookUp = redisScript<[number, Buffer?]>(options.redis, HIT, { buffers: true });

  return async ({ request, body }: ReadRequest, response: ServerResponse): Promise<boolean> => {
    const started = process.hrtime.bigint();
    const authorization = request.headers.authorization;
    if (!authorization) return false; // anonymous answers are never cached
    const read = readCacheableRequest(request, body);
    if (!read) return false;
    // One-shot hashing (no Hash object); the same SHA-256 hex Apollo computes.
    const queryHash = read.persistedHash ?? hash('sha256', read.query!, 'hex');
    const operation = cache.known.get(queryHash, read.operationName);
    if (!operation) return false;
    // A manifest id is the SHA-256 of its body (checked when loaded): allowed by hash alike.
    const client = header(request.headers['apollographql-client-name']);
    if (safelist.enforcedFor(client) && !safelist.allowsHash(queryHash)) return false;
    const principal = await verifier.verify(authorization).catch(() => null);
    if (!principal) return false; // Apollo says why (401)

    const window = rateLimiter.window(principal, request);
    const keys = cache.lookupKeys(
      principal,
      operationCacheKey(queryHash, read.operationName, read.variables),
    );
    const persistedKey =
      read.persistedHash !== undefined && safelist.body(queryHash) === undefined
        ? options.persistedQueryPrefix + queryHash
        : '';
    let count: number;
    let answer: Buffer | undefined;
    try {
      [count, answer] = await lookUp(
        [keys.generationKey, keys.sequenceKey, window?.redisKey ?? '', persistedKey],
        [
          keys.entryPrefix,
          keys.privateKey,
          keys.sharedKey,
          keys.tagPrefix,
          window?.ttlSeconds ?? 0,
          window?.limit ?? 0,
        ],
      );
    } catch (error) {
      logger.warn({ err: error }, 'response cache hit path failed');
      return false;
    }
    if (window) charged.set(request, { window, count });
    if (!answer || !rateLimiter.decide(window, count).allowed) return false;

    response.writeHead(200, {
      'content-type': read.contentType,
      'content-length': answer.length,
      'x-cache': 'HIT',
      'x-cache-path': 'fast',
    });
    response.end(answer);
    cache.countHit();
    operation.answered.inc();
    operation.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return true;
  };
}
