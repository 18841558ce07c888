import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../services/webhook.service';

@ObjectType({ description: "An organization's webhook endpoint" })
export class WebhookEndpoint {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  url: string;

  @Field(() => [String], { description: 'Event types it receives; empty: every event' })
  events: string[];

  @Field(() => Boolean, { description: 'False once disabled after repeated failures' })
  enabled: boolean;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType()
export class WebhookCreated {
  @Field(() => WebhookEndpoint)
  webhook: WebhookEndpoint;

  @Field(() => String, { description: 'The signing secret (whsec_…), shown once' })
  secret: string;
}

@ObjectType({ description: 'One event sent (or being sent) to one endpoint' })
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  eventId: string;

  @Field(() => String)
  event: string;

  @Field(() => String, { description: 'PENDING | RETRYING | SUCCEEDED | FAILED' })
  status: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => Int, { nullable: true })
  responseStatus: number | null;

  @Field(() => Int, { nullable: true })
  durationMs: number | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  nextAttemptAt: Date | null;
}

@InputType()
export class WebhookInput {
  @Field(() => String, { description: 'http(s) URL on a public address' })
  url: string;

  @Field(() => [String], { nullable: true, description: 'Event types; empty or omitted: all' })
  events?: string[] | null;
}

export function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    createdAt: row.created_at,
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    event: row.event_type,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.response_status,
    durationMs: row.duration_ms,
    lastError: row.last_error,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
  };
}
