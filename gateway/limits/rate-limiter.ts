import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { Principal } from '../../core/auth/principal';
import type { Config } from '../../core/config/config';
import { HeaderMap } from '@apollo/server';
import { RateLimitedError } from '../../core/errors';
import { rateLimited } from '../../core/observability/metrics';
import { redisScript, type RedisScript } from '../cache/redis-script';

/**
 * Lua: charges a window's counter, INCR and on the window's first request EXPIRE (a little
 * after the window ends). Shared with the response cache's hit path, which charges in the same
 * script as its lookup (gateway/cache/cache-hit-fast-path.ts).
 */
export const CHARGE_FUNCTION = `
local function charge(key, ttl)
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ttl) end
  return count
end`;

/** KEYS: counter. ARGV: ttl. */
const HIT = `${CHARGE_FUNCTION}
return charge(KEYS[1], ARGV[1])`;

/** The counter a request is charged to now. */
export interface RateWindow {
  /** `key`, `user` or `ip`: what the metrics count refusals by. */
  subject: string;
  redisKey: string;
  limit: number;
  ttlSeconds: number;
  /** Until the next window starts. */
  retryAfterSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * Fixed-window request counters in Redis, shared by every gateway instance: per API key, per
 * user, and per client IP for anonymous calls. One round trip per request (a Lua script).
 */
export class RateLimiter {
  private readonly charge: RedisScript<number>;

  constructor(
    redis: Redis,
    private readonly config: Config,
  ) {
    this.charge = redisScript<number>(redis, HIT);
  }

  /** The counter a request is charged to, and its limit (0: unlimited). */
  subject(principal: Principal | null, request: IncomingMessage): { key: string; limit: number } {
    if (principal?.kind === 'apiKey' && principal.apiKeyId)
      return { key: `key:${principal.apiKeyId}`, limit: this.config.RATE_LIMIT_PER_API_KEY };
    if (principal)
      return { key: `user:${principal.userId}`, limit: this.config.RATE_LIMIT_PER_USER };
    return {
      key: `ip:${clientIp(request, this.config.TRUST_PROXY_HOPS)}`,
      limit: this.config.RATE_LIMIT_PER_IP,
    };
  }

  /** The window this request counts in now; null when its subject is unlimited. */
  window(principal: Principal | null, request: IncomingMessage): RateWindow | null {
    const { key, limit } = this.subject(principal, request);
    if (limit === 0) return null;
    const windowMs = this.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    const now = Date.now();
    const slot = Math.floor(now / windowMs);
    return {
      subject: key.slice(0, key.indexOf(':')),
      redisKey: `${this.config.REDIS_PREFIX}:gateway:rate:${key}:${slot}`,
      limit,
      ttlSeconds: this.config.RATE_LIMIT_WINDOW_SECONDS + 1,
      retryAfterSeconds: Math.max(1, Math.ceil(((slot + 1) * windowMs - now) / 1000)),
    };
  }

  /** What a window's count, once charged, means for the request. */
  decide(window: RateWindow | null, count: number): RateLimitDecision {
    if (!window) return { allowed: true, limit: 0, remaining: Infinity, retryAfterSeconds: 0 };
    return {
      allowed: count <= window.limit,
      limit: window.limit,
      remaining: Math.max(0, window.limit - count),
      retryAfterSeconds: window.retryAfterSeconds,
    };
  }

  async hit(principal: Principal | null, request: IncomingMessage): Promise<RateLimitDecision> {
    const window = this.window(principal, request);
    if (!window) return this.decide(null, 0);
    return this.decide(window, await this.charge([window.redisKey], [window.ttlSeconds]));
  }

  /**
   * Throws RATE_LIMITED (HTTP 429 with Retry-After) when the caller is over its limit. `charged`:
   * the count of a request already charged (by the cache's hit path), not to be charged twice.
   */
  async enforce(
    principal: Principal | null,
    request: IncomingMessage,
    charged?: { window: RateWindow; count: number },
  ): Promise<void> {
    const decision = charged
      ? this.decide(charged.window, charged.count)
      : await this.hit(principal, request);
    if (decision.allowed) return;
    rateLimited.inc({ subject: this.subject(principal, request).key.split(':')[0] });
    const error = new RateLimitedError(
      `Rate limit of ${decision.limit} requests per ${this.config.RATE_LIMIT_WINDOW_SECONDS} s exceeded; retry after ${decision.retryAfterSeconds} s`,
      decision.retryAfterSeconds,
    );
    Object.assign(error.extensions, {
      http: {
        status: 429,
        headers: new HeaderMap([['retry-after', String(decision.retryAfterSeconds)]]),
      },
    });
    throw error;
  }
}

/** The client's address: the socket's, or the entry `hops` proxies from the right of X-Forwarded-For. */
export function clientIp(request: IncomingMessage, hops: number): string {
  const socket = request.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = request.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[entries.length - hops] ?? entries[0] ?? socket;
}
