/** Every event Docent publishes, in one catalogue (ARCHITECTURE.md, Events). */
export const EventType = {
  DocumentUploaded: 'document.uploaded',
  DocumentProcessing: 'document.processing',
  DocumentProcessed: 'document.processed',
  DocumentFailed: 'document.failed',
  DocumentDeleted: 'document.deleted',
  /** A person changed a document's title, tags or category. */
  DocumentUpdated: 'document.updated',
  FindingOpened: 'compliance.finding.opened',
  FindingResolved: 'compliance.finding.resolved',
  NotificationCreated: 'notification.created',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface DomainEvent<Payload extends Record<string, unknown> = Record<string, unknown>> {
  type: EventType;
  organizationId: string;
  /** The entity the event is about (document id, finding id, ...). */
  aggregateId: string;
  payload: Payload;
}
