import type { JobTrace } from '../observability/tracing';
import type { EventType } from './catalogue';

/**
 * An event as the relay hands it on, to Redis pub/sub (live subscriptions) and to the BullMQ
 * `events` queue (durable consumers). `id` is the outbox row's id: consumers are idempotent on it.
 * `requestId` and `traceparent` are those of the request or job that wrote the event: the
 * consumers' jobs are logged with that request id and traced as part of that trace.
 */
export interface RelayedEvent<Payload = Record<string, unknown>> extends JobTrace {
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
