import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/logging/logger';
import { RateLimitedError } from '../../../core/errors';

export interface LoginThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Failed sign-ins per e-mail address, counted in Redis over a fixed window that starts at
 * the first failure. Each attempt takes a slot atomically before the password is checked
 * (INCR), so concurrent guesses cannot slip past the limit; a success frees the address.
 * After `maxFailures` failures every further attempt is RATE_LIMITED until the window ends.
 * Keys hold the SHA-256 of the address, not the address. When Redis is unreachable sign-in
 * still works (argon2 bounds the guessing rate) and the outage is logged.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly settings: LoginThrottleSettings,
    private readonly logger: Logger,
  ) {}

  private key(email: string): string {
    return `login-failures:${createHash('sha256').update(email).digest('hex')}`;
  }

  /** Takes one attempt for `email`; RATE_LIMITED when its failures have used up the window. */
  async reserveAttempt(email: string): Promise<void> {
    const key = this.key(email);
    let attempts: number;
    let ttlMs: number;
    try {
      const results = await this.redis
        .multi()
        .incr(key)
        .expire(key, this.settings.windowSeconds, 'NX')
        .pttl(key)
        .exec();
      if (!results || results.some(([error]) => error))
        throw results?.find(([error]) => error)?.[0] ?? new Error('transaction aborted');
      attempts = Number(results[0][1]);
      ttlMs = Number(results[2][1]);
    } catch (error) {
      this.logger.warn({ err: error }, 'login throttle unavailable: attempt not counted');
      return;
    }
    if (attempts > this.settings.maxFailures) {
      const retryAfter = ttlMs > 0 ? Math.ceil(ttlMs / 1000) : this.settings.windowSeconds;
      throw new RateLimitedError(
        `Too many failed sign-in attempts for this e-mail address: try again in ${retryAfter} seconds`,
        retryAfter,
      );
    }
  }

  /** A successful sign-in forgets the address's failures. */
  async succeeded(email: string): Promise<void> {
    try {
      await this.redis.del(this.key(email));
    } catch (error) {
      this.logger.warn({ err: error }, 'login throttle unavailable: failures not cleared');
    }
  }
}
