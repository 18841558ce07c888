import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../../core/config/config';

/** BullMQ queue names of the webhooks (also listed in workers/queues.ts). */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhook-deliveries';

/** Job data of a delivery: the row holds everything else. */
export interface DeliverWebhookJobData {
  deliveryId: string;
}

/**
 * The deliveries queue: exponential backoff from WEBHOOK_RETRY_BASE_MS over WEBHOOK_MAX_ATTEMPTS
 * attempts (defaults: 30 s doubling, 12 attempts, about 17 hours of retries in all).
 */
export function createDeliveryQueue(
  config: Config,
  connection: Redis,
): Queue<DeliverWebhookJobData> {
  return new Queue<DeliverWebhookJobData>(WEBHOOK_DELIVERIES_QUEUE, {
    connection,
    prefix: `${config.REDIS_PREFIX}:bull`,
    defaultJobOptions: {
      attempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: config.WEBHOOK_RETRY_BASE_MS },
      removeOnComplete: { age: 24 * 60 * 60, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 60 * 60 },
    },
  });
}
