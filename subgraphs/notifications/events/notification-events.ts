import { EventType, type DomainEvent } from '../../../core/events/catalogue';

/** The outbox schema the notifications subgraph writes its events to. */
export const NOTIFICATIONS_OUTBOX = 'notifications';

/** `notification.created`: one person has a new notification (notificationReceived reacts). */
export interface NotificationCreatedPayload extends Record<string, unknown> {
  notificationId: string;
  userId: string;
  kind: string;
  severity: string;
  documentId: string | null;
  findingId: string | null;
}

export function notificationCreated(row: {
  id: string;
  organizationId: string;
  userId: string;
  kind: string;
  severity: string;
  documentId: string | null;
  findingId: string | null;
}): DomainEvent<NotificationCreatedPayload> {
  return {
    type: EventType.NotificationCreated,
    organizationId: row.organizationId,
    aggregateId: row.id,
    payload: {
      notificationId: row.id,
      userId: row.userId,
      kind: row.kind,
      severity: row.severity,
      documentId: row.documentId,
      findingId: row.findingId,
    },
  };
}
