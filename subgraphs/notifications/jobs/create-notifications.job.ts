import type { RelayedEvent } from '../../../core/events/relayed-event';
import { plannedNotifications } from '../events/notification-rules';
import type { CreateNotificationsService } from '../services/create-notifications.service';

/** Job data of the `notification-events` queue: one relayed event. */
export type CreateNotificationsJobData = RelayedEvent;

/** The durable consumer that turns events into notifications for the people they concern. */
export class CreateNotificationsJob {
  constructor(private readonly notifications: CreateNotificationsService) {}

  async handle(event: CreateNotificationsJobData): Promise<number> {
    const planned = plannedNotifications(event);
    const created = await this.notifications.execute(event.organizationId, event.id, planned);
    return created.length;
  }
}
