import { Worker } from 'bullmq';
import type { Config } from '../core/config/config';
import { createRoleServer, listen } from '../core/http/role-server';
import type { Logger } from '../core/logging/logger';
import { createRedis } from '../core/redis/redis';
import { PROCESSORS } from './processors';
import type { AiProvider } from '../core/ai/ai-provider';
import { startDocumentPipeline } from '../subgraphs/documents/jobs/document-pipeline.worker';
import { startSearchIndexer } from '../subgraphs/search/jobs/search-index.worker';
import { startEventConsumers } from './events/event-consumers';
import { observeWorker, reportQueueDepth } from '../core/observability/queue-metrics';
import { inJobTrace } from '../core/observability/tracing';
import { QueueName } from './queues';
import { startComplianceWorker } from '../subgraphs/compliance/jobs/compliance.worker';

export interface RunningRole {
  port: number;
  stop: () => Promise<void>;
}

/** The worker role: a BullMQ Worker for every registered queue, with /health and /ready. */
export async function startWorker(
  config: Config,
  logger: Logger,
  options: { port?: number; ai?: AiProvider } = {},
): Promise<RunningRole> {
  const connection = createRedis(config.REDIS_URL, { forWorkers: true });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const workers = PROCESSORS.map(
    ({ queue, processor, concurrency }) =>
      new Worker(queue, inJobTrace(processor), {
        connection,
        prefix: `${config.REDIS_PREFIX}:bull`,
        concurrency,
      }),
  );
  for (const worker of workers)
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
  // The documents pipeline (its own Worker, data source and AI provider): subgraphs/documents/jobs.
  const documentPipeline = await startDocumentPipeline(config, logger, { ai: options.ai });
  // Search's index queue (chunk + embed, remove on delete): subgraphs/search/jobs.
  const searchIndexer = await startSearchIndexer(config, logger, { ai: options.ai });
  // The durable event consumers (notifications, webhooks): workers/events/event-consumers.ts.
  const consumers = await startEventConsumers(config, logger, connection);
  // Compliance runs: scheduled ticks, plans and keyset batches (subgraphs/compliance/jobs).
  const compliance = await startComplianceWorker(config, logger);
  // Metrics (GET /metrics): every job attempt's duration, and each queue's depth on scrape.
  for (const worker of [
    ...workers,
    documentPipeline.worker,
    searchIndexer.worker,
    compliance.worker,
    ...consumers.workers,
  ])
    observeWorker(worker, logger);
  const stopQueueDepth = reportQueueDepth(
    Object.values(QueueName),
    connection,
    `${config.REDIS_PREFIX}:bull`,
  );
  logger.info(
    { queues: PROCESSORS.map((p) => p.queue) },
    workers.length ? 'worker serving queues' : 'worker started; no queues are registered yet',
  );

  const server = createRoleServer({
    role: 'worker',
    logger,
    routes: {},
    isReady: async () => (await connection.ping()) === 'PONG',
  });
  const port = await listen(server, options.port ?? config.WORKER_PORT, config.HOST);
  return {
    port,
    stop: async () => {
      // close() waits for the jobs in progress to finish.
      await Promise.all(workers.map((w) => w.close()));
      await documentPipeline.stop();
      await searchIndexer.stop();
      await consumers.stop();
      await compliance.stop();
      await stopQueueDepth();
      await new Promise((resolve) => server.close(resolve));
      connection.disconnect();
    },
  };
}
