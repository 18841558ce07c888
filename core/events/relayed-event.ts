import type { EventType } from './catalogue';

/**
 * An event as the relay hands it on, to Redis pub/sub (live subscriptions) and to the BullMQ
 * `events` queue (durable consumers). `id` is the outbox row's id: consumers are idempotent on it.
 */
export interface RelayedEvent<Payload = Record<string, unknown>> {
  id: string;
  type: EventType;
  organizationId: string;
  aggregateId: string;
  payload: Payload;
  occurredAt: string;
  /**
   * When the relay published it (ISO, ms): subscribers measure relay-to-delivery lag from it.
   * Absent on events relayed before it existed.
   */
  publishedAt?: string;
}
