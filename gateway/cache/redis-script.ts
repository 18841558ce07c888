import type { Redis } from 'ioredis';

export type RedisScript<Reply> = (keys: string[], args: (string | number)[]) => Promise<Reply>;

let defined = 0;

/**
 * A Lua script run with EVALSHA (ioredis `defineCommand`, which falls back to EVAL once when
 * Redis does not know the script): the script's text is not sent, nor hashed by Redis, on
 * every call. `buffers` answers bulk strings as Buffers (no UTF-8 decoding, for answers that
 * go to a socket as they are).
 */
export function redisScript<Reply>(
  redis: Redis,
  lua: string,
  options: { buffers?: boolean } = {},
): RedisScript<Reply> {
  const name = `docentScript${(defined += 1)}`;
  redis.defineCommand(name, { lua });
  const commands = redis as unknown as Record<
    string,
    (keyCount: number, ...rest: (string | number)[]) => Promise<Reply>
  >;
  const command = commands[options.buffers ? `${name}Buffer` : name];
  return (keys, args) => command.call(redis, keys.length, ...keys, ...args);
}
