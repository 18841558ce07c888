import type { DataSource, EntityManager } from 'typeorm';
import { appendToOutbox } from '../../../core/events/outbox';
import { NOTIFICATIONS_OUTBOX, notificationCreated } from '../events/notification-events';
import type { PlannedNotification } from '../events/notification-rules';

/**
 * Writes notifications and their `notification.created` events in one transaction. Idempotent on
 * (event id, recipient): a redelivered event creates nothing twice and announces nothing twice.
 */
export class CreateNotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(
    organizationId: string,
    eventId: string | null,
    planned: PlannedNotification[],
  ): Promise<string[]> {
    if (planned.length === 0) return [];
    return this.dataSource.transaction((manager) =>
      this.insert(manager, organizationId, eventId, planned),
    );
  }

  private async insert(
    manager: EntityManager,
    organizationId: string,
    eventId: string | null,
    planned: PlannedNotification[],
  ): Promise<string[]> {
    const created: string[] = [];
    for (const n of planned) {
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO notifications.notifications
           (organization_id, user_id, kind, title, body, severity, document_id, finding_id, event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (event_id, user_id) WHERE event_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          organizationId,
          n.userId,
          n.kind,
          n.title,
          n.body,
          n.severity,
          n.documentId,
          n.findingId,
          eventId,
        ],
      );
      if (rows.length === 0) continue;
      created.push(rows[0].id);
      await appendToOutbox(
        manager,
        NOTIFICATIONS_OUTBOX,
        notificationCreated({ id: rows[0].id, organizationId, ...n }),
      );
    }
    return created;
  }
}
