import type { Queue } from 'bullmq';
import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { createRedis } from '../../../core/redis/redis';
import { createDeliveryQueue, type DeliverWebhookJobData } from '../webhooks/delivery-queue';
import { SecretBox } from '../webhooks/secret-box';
import { parseAllowList } from '../webhooks/ssrf-guard';
import { NotificationService } from './notification.service';
import { WebhookService } from './webhook.service';

export interface NotificationServices {
  notifications: NotificationService;
  webhooks: WebhookService;
}

export function createNotificationServices(runtime: SubgraphRuntime): NotificationServices {
  // BullMQ needs a connection without ioredis' keyPrefix; testWebhook is rare, so each call
  // opens one and closes it (the subgraph has no shutdown hook to close a long-lived one).
  const enqueueDelivery = async (deliveryId: string) => {
    const connection = createRedis(runtime.config.REDIS_URL);
    connection.on('error', (error) => runtime.logger.warn({ err: error }, 'redis error'));
    const queue: Queue<DeliverWebhookJobData> = createDeliveryQueue(runtime.config, connection);
    try {
      await queue.add('webhook.test', { deliveryId }, { jobId: deliveryId });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  };
  return {
    notifications: new NotificationService(runtime.dataSource),
    webhooks: new WebhookService(
      runtime.dataSource,
      enqueueDelivery,
      parseAllowList(runtime.config.WEBHOOK_ALLOWED_HOSTS),
      SecretBox.fromKeys(runtime.config.WEBHOOK_SECRET_KEYS),
    ),
  };
}
