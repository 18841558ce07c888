import type { RelayedEvent } from '../../../core/events/relayed-event';

/** Internal details that never leave Docent in a webhook body. */
const INTERNAL = new Set(['storageKey']);

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export function webhookBody(
  event: Pick<RelayedEvent, 'type' | 'occurredAt' | 'aggregateId' | 'payload'> & { id: string },
): string {
  const data: Record<string, unknown> = { eventId: event.id, id: event.aggregateId };
  for (const [key, value] of Object.entries(event.payload ?? {}))
    if (!INTERNAL.has(key)) data[key] = value;
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data });
}
