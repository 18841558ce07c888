import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { NotificationRecord } from './entities/notification.entity';
import { CreateNotifications1764000000000 } from './migrations/1764000000000-create-notifications';
import { CreateNotificationsOutbox1764200000000 } from './migrations/1764200000000-create-notifications-outbox';
import {
  NotificationResolver,
  resolveNotificationReference,
} from './resolvers/notification.resolver';
import { CreateWebhooks1764200001000 } from './migrations/1764200001000-create-webhooks';
import { NotificationFinding1764600001000 } from './migrations/1764600001000-notification-finding';
import { OutboxTrace1764700002000 } from './migrations/1764700002000-outbox-trace';
import { EncryptWebhookSecrets1764800000000 } from './migrations/1764800000000-encrypt-webhook-secrets';
import { WebhookResolver } from './resolvers/webhook.resolver';
import { NotificationSubscriptionResolver } from './resolvers/notification-subscription.resolver';
import { createNotificationServices, type NotificationServices } from './services';

export const notificationsSubgraph: SubgraphDefinition<NotificationServices> = {
  name: 'notifications',
  port: (config) => config.NOTIFICATIONS_PORT,
  entities: [NotificationRecord],
  migrations: [
    CreateNotifications1764000000000,
    CreateNotificationsOutbox1764200000000,
    CreateWebhooks1764200001000,
    NotificationFinding1764600001000,
    OutboxTrace1764700002000,
    EncryptWebhookSecrets1764800000000,
  ],
  resolvers: [NotificationResolver, NotificationSubscriptionResolver, WebhookResolver],
  createServices: createNotificationServices,
  referenceResolvers: (services) => ({
    Notification: {
      __resolveReference: (reference: { id: string }, ctx: unknown) =>
        resolveNotificationReference(services, reference, ctx as never),
    },
  }),
};
