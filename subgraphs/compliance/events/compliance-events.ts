import { EventType, type DomainEvent } from '../../../core/events/catalogue';
import type { Severity } from '../../../core/graphql/severity';

/** The outbox schema compliance writes its events to. */
export const COMPLIANCE_OUTBOX = 'compliance';

/**
 * `compliance.finding.opened` / `compliance.finding.resolved`. Carries what notifications and
 * webhooks need without reading our schema: the document's title and uploader (the person
 * notified), the policy's name, the masked evidence.
 */
export interface FindingEventPayload extends Record<string, unknown> {
  findingId: string;
  policyId: string;
  policyName: string;
  documentId: string;
  /** The document's title (notifications show it). */
  title: string;
  uploadedById: string | null;
  severity: Severity;
  status: string;
  message: string;
  evidence: string | null;
}

export function findingEvent(
  type: typeof EventType.FindingOpened | typeof EventType.FindingResolved,
  organizationId: string,
  payload: FindingEventPayload,
): DomainEvent<FindingEventPayload> {
  return { type, organizationId, aggregateId: payload.findingId, payload };
}
