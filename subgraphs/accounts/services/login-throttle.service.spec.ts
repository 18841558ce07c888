import type { Redis } from 'ioredis';
import { createLogger } from '../../../core/logging/logger';
import { LoginThrottle } from './login-throttle.service';

/** A stand-in for the few Redis calls the throttle makes, counting in memory. */
function fakeRedis(options: { down?: boolean } = {}) {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  const redis = {
    multi() {
      const ops: (() => [Error | null, unknown])[] = [];
      const chain = {
        incr(key: string) {
          keys.push(key);
          ops.push(() => {
            counts.set(key, (counts.get(key) ?? 0) + 1);
            return [null, counts.get(key)];
          });
          return chain;
        },
        expire() {
          ops.push(() => [null, 1]);
          return chain;
        },
        pttl() {
          ops.push(() => [null, 42_500]);
          return chain;
        },
        async exec() {
          if (options.down) throw new Error('connection refused');
          return ops.map((op) => op());
        },
      };
      return chain;
    },
    async del(key: string) {
      if (options.down) throw new Error('connection refused');
      counts.delete(key);
      return 1;
    },
  };
  return { redis: redis as unknown as Redis, keys };
}

const logger = createLogger('test', 'silent');
const settings = { maxFailures: 2, windowSeconds: 60 };

describe('LoginThrottle', () => {
  it('lets maxFailures attempts through, then answers RATE_LIMITED with retryAfter', async () => {
    const { redis } = fakeRedis();
    const throttle = new LoginThrottle(redis, settings, logger);
    await throttle.reserveAttempt('a@example.com');
    await throttle.reserveAttempt('a@example.com');
    await expect(throttle.reserveAttempt('a@example.com')).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', retryAfter: 43 },
    });
    await expect(throttle.reserveAttempt('b@example.com')).resolves.toBeUndefined();
  });

  it('starts over after a success', async () => {
    const { redis } = fakeRedis();
    const throttle = new LoginThrottle(redis, settings, logger);
    await throttle.reserveAttempt('a@example.com');
    await throttle.reserveAttempt('a@example.com');
    await throttle.succeeded('a@example.com');
    await expect(throttle.reserveAttempt('a@example.com')).resolves.toBeUndefined();
  });

  it('keys on a hash of the address, never the address', async () => {
    const { redis, keys } = fakeRedis();
    await new LoginThrottle(redis, settings, logger).reserveAttempt('a@example.com');
    expect(keys[0]).toMatch(/^login-failures:[0-9a-f]{64}$/);
  });

  it('lets sign-in work while Redis is down', async () => {
    const { redis } = fakeRedis({ down: true });
    const throttle = new LoginThrottle(redis, settings, logger);
    for (let i = 0; i < 5; i += 1)
      await expect(throttle.reserveAttempt('a@example.com')).resolves.toBeUndefined();
    await expect(throttle.succeeded('a@example.com')).resolves.toBeUndefined();
  });
});
