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
    // ioredis 5.8.2+ sends CLIENT SETINFO in its handshake, which lets a SUBSCRIBE issued while
    // connecting slip in before the INFO ready check; the check then fails in subscriber mode and
    // the connection loops (redis/ioredis#2037). Without the client info the order holds.
    disableClientInfo: true,
    maxRetriesPerRequest: forWorkers ? null : 3,
    ...rest,
  });
}
