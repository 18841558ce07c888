import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for commands (caches, counters, rate limits). BullMQ workers need
 * `maxRetriesPerRequest: null`; pass `forWorkers` for those.
 */
export function createRedis(
  url: string,
  options: { forWorkers?: boolean } & RedisOptions = {},
): Redis {
  const { forWorkers, ...rest } = options;
  return new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    maxRetriesPerRequest: forWorkers ? null : 3,
    ...rest,
  });
}
