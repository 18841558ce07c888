import type { Config } from '../core/config/config';
import { createRoleServer, listen } from '../core/http/role-server';
import type { Logger } from '../core/logging/logger';
import { createRedis } from '../core/redis/redis';
import { OutboxRelay } from './outbox-relay';
import { DurableEventQueue } from './events/event-queue';
import type { RunningRole } from './worker';
import { ComplianceQueue } from '../subgraphs/compliance/jobs/compliance-queue';
import { registerComplianceSchedules } from '../subgraphs/compliance/jobs/compliance-schedules';

/** Schemas that publish events through an outbox. */
export const OUTBOX_SCHEMAS = ['documents', 'compliance', 'notifications'];

/** The scheduler role: the outbox relay (and, with the compliance issue, the job schedulers). */
export async function startScheduler(
  config: Config,
  logger: Logger,
  options: { port?: number } = {},
): Promise<RunningRole> {
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const durableQueue = new DurableEventQueue(redis, config.REDIS_PREFIX, (error) =>
    logger.warn({ err: error }, 'events queue error'),
  );
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    redis,
    redisPrefix: config.REDIS_PREFIX,
    schemas: OUTBOX_SCHEMAS,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    logger,
    durable: durableQueue,
  });
  await relay.start();
  // Hourly expiry checks and the daily full run; upserted by id, so once however many schedulers start.
  const complianceQueue = new ComplianceQueue(redis, config.REDIS_PREFIX);
  complianceQueue.queue.on('error', (error) =>
    logger.warn({ err: error }, 'compliance queue error'),
  );
  await registerComplianceSchedules(complianceQueue.queue, {
    expiry: config.COMPLIANCE_EXPIRY_CRON,
    daily: config.COMPLIANCE_DAILY_CRON,
  });
  const server = createRoleServer({
    role: 'scheduler',
    logger,
    routes: {},
    isReady: async () => (await redis.ping()) === 'PONG',
  });
  const port = await listen(server, options.port ?? config.SCHEDULER_PORT, config.HOST);
  logger.info('scheduler started: outbox relay running');
  return {
    port,
    stop: async () => {
      await relay.stop();
      await durableQueue.close();
      await complianceQueue.close();
      await new Promise((resolve) => server.close(resolve));
      redis.disconnect();
    },
  };
}
