import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { NotificationService } from './notification.service';

export interface NotificationServices {
  notifications: NotificationService;
}

export function createNotificationServices(runtime: SubgraphRuntime): NotificationServices {
  return { notifications: new NotificationService(runtime.dataSource) };
}
