import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { Principal } from '../../core/auth/principal';
import type { Config } from '../../core/config/config';
import { HeaderMap } from '@apollo/server';
import { RateLimitedError } from '../../core/errors';
import { rateLimited } from '../../core/observability/metrics';

/** INCR, and on the window's first request EXPIRE (a little after the window ends). */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

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
  constructor(
    private readonly redis: Redis,
    private readonly config: Config,
  ) {}

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

  async hit(principal: Principal | null, request: IncomingMessage): Promise<RateLimitDecision> {
    const { key, limit } = this.subject(principal, request);
    if (limit === 0) return { allowed: true, limit, remaining: Infinity, retryAfterSeconds: 0 };
    const windowMs = this.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    const now = Date.now();
    const slot = Math.floor(now / windowMs);
    const count = (await this.redis.eval(
      HIT,
      1,
      `${this.config.REDIS_PREFIX}:gateway:rate:${key}:${slot}`,
      String(this.config.RATE_LIMIT_WINDOW_SECONDS + 1),
    )) as number;
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      // Until the next window starts.
      retryAfterSeconds: Math.max(1, Math.ceil(((slot + 1) * windowMs - now) / 1000)),
    };
  }

  /** Throws RATE_LIMITED (HTTP 429 with Retry-After) when the caller is over its limit. */
  async enforce(principal: Principal | null, request: IncomingMessage): Promise<void> {
    const decision = await this.hit(principal, request);
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
