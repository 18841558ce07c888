import { Queue, Worker, type Job } from 'bullmq';
import { inJobTrace } from '../../core/observability/tracing';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Config } from '../../core/config/config';
import { openWorkerDataSource } from '../../core/db/data-source';
import type { RelayedEvent } from '../../core/events/relayed-event';
import type { Logger } from '../../core/logging/logger';
import { NotificationRecord } from '../../subgraphs/notifications/entities/notification.entity';
import { NOTIFYING_EVENTS } from '../../subgraphs/notifications/events/notification-rules';
import { CreateNotificationsJob } from '../../subgraphs/notifications/jobs/create-notifications.job';
import { CreateNotificationsService } from '../../subgraphs/notifications/services/create-notifications.service';
import { DeliverWebhookJob } from '../../subgraphs/notifications/jobs/deliver-webhook.job';
import { WebhookFanoutJob } from '../../subgraphs/notifications/jobs/webhook-fanout.job';
import {
  createDeliveryQueue,
  type DeliverWebhookJobData,
} from '../../subgraphs/notifications/webhooks/delivery-queue';
import { SecretBox } from '../../subgraphs/notifications/webhooks/secret-box';
import { parseAllowList } from '../../subgraphs/notifications/webhooks/ssrf-guard';
import { WebhookSender } from '../../subgraphs/notifications/webhooks/webhook-sender';
import { SearchIndexQueue } from '../../subgraphs/search/jobs/search-index.worker';
import {
  createSearchEventsConsumer,
  SEARCH_EVENTS,
  type SearchEventsConsumer,
} from '../../subgraphs/search/events/search-events.consumer';
import {
  createComplianceEventsConsumer,
  type ComplianceEventsConsumer,
} from '../../subgraphs/compliance/jobs/document-events.consumer';
import { COMPLIANCE_EVENTS } from '../../subgraphs/compliance/jobs/document-events.job';
import { QueueName } from '../queues';
import { bullPrefix, KEEP_COMPLETED, KEEP_FAILED } from './event-queue';

/** A durable consumer: the events it wants and the queue it reads them from. */
export interface DurableConsumer {
  queue: QueueName;
  accepts: (event: RelayedEvent) => boolean;
  handle: (event: RelayedEvent, job: Job) => Promise<unknown>;
  concurrency: number;
}

export interface RunningConsumers {
  /** The BullMQ workers, for metrics (core/observability/queue-metrics.ts). */
  workers: Worker[];
  stop: () => Promise<void>;
}

export interface ConsumerDependencies {
  notificationsData: DataSource;
  deliveries: Queue<DeliverWebhookJobData>;
  searchIndex: SearchIndexQueue;
  search: SearchEventsConsumer;
  compliance: ComplianceEventsConsumer;
}

/** The consumers of events, each with its own queue so one's retries never hold another back. */
export function durableConsumers(deps: ConsumerDependencies): DurableConsumer[] {
  const notifications = new CreateNotificationsJob(
    new CreateNotificationsService(deps.notificationsData),
  );
  const webhooks = new WebhookFanoutJob(deps.notificationsData, deps.deliveries);
  return [
    {
      queue: QueueName.NotificationEvents,
      accepts: (event) => NOTIFYING_EVENTS.has(event.type),
      handle: (event) => notifications.handle(event),
      concurrency: 8,
    },
    {
      // Search keeps its copy of each document's facets (filters) and owns its chunks: a
      // deleted document's are removed by its own index queue (subgraphs/search/events).
      queue: QueueName.SearchEvents,
      accepts: (event) => SEARCH_EVENTS.has(event.type),
      handle: (event) => deps.search.handle(event),
      concurrency: 8,
    },
    {
      // Compliance keeps its own copy of each document and evaluates it (subgraphs/compliance/jobs).
      queue: QueueName.ComplianceEvents,
      accepts: (event) => COMPLIANCE_EVENTS.has(event.type),
      handle: (event) => deps.compliance.job.handle(event),
      concurrency: 4,
    },
    {
      queue: QueueName.WebhookEvents,
      accepts: () => true,
      handle: (event) => webhooks.handle(event),
      concurrency: 8,
    },
  ];
}

/**
 * The worker's durable path: a dispatcher reads the relay's `events` queue and hands each event
 * to every consumer that wants it (job id = event id in the consumer's queue: a redelivered event
 * is one job), and a BullMQ Worker per consumer queue runs the consumer. At-least-once end to end;
 * consumers are idempotent on the event id.
 */
export async function startEventConsumers(
  config: Config,
  logger: Logger,
  connection: Redis,
  options: { stalledIntervalMs?: number; lockDurationMs?: number } = {},
): Promise<RunningConsumers> {
  const notificationsData = await openWorkerDataSource(config, 'notifications', logger, {
    entities: [NotificationRecord],
  });
  const deliveries = createDeliveryQueue(config, connection);
  deliveries.on('error', (error) => logger.warn({ err: error }, 'deliveries queue error'));
  const searchIndex = new SearchIndexQueue(connection, config.REDIS_PREFIX);
  const search = await createSearchEventsConsumer(config, logger, searchIndex);
  const compliance = await createComplianceEventsConsumer(config, logger);
  const consumers = durableConsumers({
    notificationsData,
    deliveries,
    searchIndex,
    search,
    compliance,
  });
  const deliver = new DeliverWebhookJob(
    notificationsData,
    new WebhookSender({
      allowList: parseAllowList(config.WEBHOOK_ALLOWED_HOSTS),
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    }),
    SecretBox.fromKeys(config.WEBHOOK_SECRET_KEYS),
    new CreateNotificationsService(notificationsData),
    { disableAfter: config.WEBHOOK_DISABLE_AFTER_FAILURES },
    logger,
  );
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const defaultJobOptions = {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
  const queues = new Map(
    consumers.map((c) => [c.queue, new Queue(c.queue, { connection, prefix, defaultJobOptions })]),
  );
  const workerOptions = {
    connection,
    prefix,
    ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
  };
  const workers: Worker[] = [
    new Worker<RelayedEvent>(
      QueueName.Events,
      inJobTrace(async (job: Job<RelayedEvent>) => {
        const event = job.data;
        for (const consumer of consumers) {
          if (!consumer.accepts(event)) continue;
          await queues.get(consumer.queue)!.add(event.type, event, { jobId: event.id });
        }
      }),
      { ...workerOptions, concurrency: 16 },
    ),
    ...consumers.map(
      (consumer) =>
        new Worker<RelayedEvent>(
          consumer.queue,
          inJobTrace((job: Job<RelayedEvent>) => consumer.handle(job.data, job)),
          {
            ...workerOptions,
            concurrency: consumer.concurrency,
          },
        ),
    ),
    new Worker<DeliverWebhookJobData>(
      QueueName.WebhookDeliveries,
      inJobTrace((job: Job<DeliverWebhookJobData>) => deliver.handle(job)),
      {
        ...workerOptions,
        concurrency: 16,
      },
    ),
  ];
  for (const queue of queues.values())
    queue.on('error', (error) => logger.warn({ err: error, queue: queue.name }, 'queue error'));
  for (const worker of workers) {
    worker.on('error', (error) =>
      logger.warn({ err: error, queue: worker.name }, 'consumer error'),
    );
    worker.on('failed', (job, error) =>
      logger.warn({ err: error, queue: worker.name, jobId: job?.id }, 'event job failed'),
    );
  }
  return {
    workers,
    stop: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values(), deliveries].map((q) => q.close()));
      await searchIndex.close();
      await search.close();
      await compliance.close();
      await notificationsData.destroy();
    },
  };
}
