import type { EntityManager } from 'typeorm';
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

/**
 * Appends many events in one statement (a batch can open thousands of findings), in the
 * transaction that makes the change; one NOTIFY wakes the relay.
 */
export async function appendEventsToOutbox(
  manager: EntityManager,
  events: DomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('appendEventsToOutbox must run inside the transaction that makes the change');
  await manager.query(
    `INSERT INTO compliance.outbox (organization_id, type, aggregate_id, payload)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[])`,
    [
      events.map((e) => e.organizationId),
      events.map((e) => e.type),
      events.map((e) => e.aggregateId),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
  await manager.query(`SELECT pg_notify('docent_outbox', $1)`, [COMPLIANCE_OUTBOX]);
}
