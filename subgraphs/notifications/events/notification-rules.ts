import { EventType } from '../../../core/events/catalogue';
import type { RelayedEvent } from '../../../core/events/relayed-event';
import { Severity } from '../../../core/graphql/severity';

/** A notification to create for one person because of one event. */
export interface PlannedNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  severity: Severity;
  documentId: string | null;
  /** The compliance finding it is about. */
  findingId: string | null;
}

/** The events the notifications consumer reads. */
export const NOTIFYING_EVENTS: ReadonlySet<string> = new Set([
  EventType.DocumentProcessed,
  EventType.DocumentFailed,
  EventType.FindingOpened,
  EventType.FindingResolved,
]);

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (Object.values(Severity) as string[]).includes(value);
}

function id(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

/**
 * Who hears about what. The event carries its recipients' ids (the notifications subgraph reads
 * no other schema): a document's processing result goes to the person who uploaded it
 * (`payload.uploadedById`), and so does a compliance finding opened or resolved on it (the
 * notification names the finding). Unknown or
 * incomplete events notify nobody.
 */
export function plannedNotifications(event: RelayedEvent): PlannedNotification[] {
  const payload = event.payload ?? {};
  const uploader = payload.uploadedById;
  if (typeof uploader !== 'string') return [];
  const title = text(payload.title, 'A document');
  switch (event.type) {
    case EventType.DocumentProcessed:
      return [
        {
          userId: uploader,
          kind: 'DOCUMENT_PROCESSED',
          title: `"${title}" is ready`,
          body: 'Processing finished: its summary, facts and search index are available.',
          severity: Severity.INFO,
          documentId: event.aggregateId,
          findingId: null,
        },
      ];
    case EventType.DocumentFailed:
      return [
        {
          userId: uploader,
          kind: 'DOCUMENT_FAILED',
          title: `"${title}" could not be processed`,
          body: text(payload.error, 'Processing failed; reprocess it or upload it again.'),
          severity: Severity.HIGH,
          documentId: event.aggregateId,
          findingId: null,
        },
      ];
    case EventType.FindingOpened:
      // Compliance puts the document's uploader and title in the event (it keeps its own copy).
      return [
        {
          userId: uploader,
          kind: 'FINDING_OPENED',
          title: `"${title}": ${text(payload.policyName, 'a compliance policy')}`,
          body: text(payload.message, 'A compliance policy found a problem with this document.'),
          severity: isSeverity(payload.severity) ? payload.severity : Severity.MEDIUM,
          documentId: id(payload.documentId),
          findingId: id(payload.findingId),
        },
      ];
    case EventType.FindingResolved:
      return [
        {
          userId: uploader,
          kind: 'FINDING_RESOLVED',
          title: `"${title}": ${text(payload.policyName, 'a compliance policy')} resolved`,
          body: `Resolved: ${text(payload.message, 'the compliance finding on this document')}`,
          severity: Severity.INFO,
          documentId: id(payload.documentId),
          findingId: id(payload.findingId),
        },
      ];
    default:
      return [];
  }
}
