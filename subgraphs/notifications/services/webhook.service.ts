import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError, NotFoundError } from '../../../core/errors';
import { EventType } from '../../../core/events/catalogue';
import { parseId } from '../../../core/graphql/ids';
import type { SecretBox } from '../webhooks/secret-box';
import { assertWebhookUrl, WebhookAddressError } from '../webhooks/ssrf-guard';
import { webhookBody } from '../webhooks/webhook-body';
import { newWebhookSecret } from '../webhooks/webhook-signature';

export interface WebhookEndpointRow {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
}

const KNOWN_EVENTS = new Set<string>(Object.values(EventType));
const DELIVERY_COLUMNS =
  'id, event_id, event_type, status, attempts, response_status, duration_ms, last_error, next_attempt_at, created_at';

/** The organization's webhook endpoints and their delivery log; every query is scoped to it. */
export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enqueueDelivery: (deliveryId: string) => Promise<void>,
    private readonly allowList: string[],
    private readonly secrets: SecretBox,
  ) {}

  async create(
    principal: Principal,
    input: { url: string; events: string[] },
  ): Promise<{ webhook: WebhookEndpointRow; secret: string }> {
    try {
      await assertWebhookUrl(input.url, this.allowList);
    } catch (error) {
      if (error instanceof WebhookAddressError) throw new BadUserInputError(error.message, 'url');
      throw error;
    }
    const events = [...new Set(input.events.map((e) => e.trim()))];
    const unknown = events.filter((e) => !KNOWN_EVENTS.has(e));
    if (unknown.length)
      throw new BadUserInputError(`Unknown events: ${unknown.join(', ')}`, 'events');
    // The caller sees the secret once; the row keeps it sealed (webhooks/secret-box.ts).
    const secret = newWebhookSecret();
    const rows: WebhookEndpointRow[] = await this.dataSource.query(
      `INSERT INTO notifications.webhook_endpoints (organization_id, url, events, secret, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, url, events, enabled, created_at`,
      [
        principal.organizationId,
        input.url,
        events,
        this.secrets.seal(secret, principal.organizationId),
        principal.userId,
      ],
    );
    return { webhook: rows[0], secret };
  }

  list(principal: Principal): Promise<WebhookEndpointRow[]> {
    return this.dataSource.query(
      `SELECT id, url, events, enabled, created_at FROM notifications.webhook_endpoints
        WHERE organization_id = $1 ORDER BY created_at, id`,
      [principal.organizationId],
    );
  }

  async delete(principal: Principal, id: string): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      `DELETE FROM notifications.webhook_endpoints WHERE organization_id = $1 AND id = $2`,
      [principal.organizationId, parseId(id)],
    )) as [unknown, number];
    if (!affected) throw new NotFoundError('WebhookEndpoint', id);
    return true;
  }

  async deliveriesOf(
    principal: Principal,
    webhookId: string,
    first = 20,
  ): Promise<WebhookDeliveryRow[]> {
    await this.endpoint(principal, webhookId);
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM notifications.webhook_deliveries
        WHERE organization_id = $1 AND endpoint_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [principal.organizationId, parseId(webhookId), Math.min(Math.max(first, 1), 100)],
    );
  }

  /** Sends a `webhook.test` event to the endpoint now, through the delivery worker. */
  async test(principal: Principal, webhookId: string): Promise<WebhookDeliveryRow> {
    const endpoint = await this.endpoint(principal, webhookId);
    const eventId = randomUUID();
    const body = webhookBody({
      id: eventId,
      type: 'webhook.test' as never,
      occurredAt: new Date().toISOString(),
      aggregateId: endpoint.id,
      payload: { webhookId: endpoint.id },
    });
    const rows: WebhookDeliveryRow[] = await this.dataSource.query(
      `INSERT INTO notifications.webhook_deliveries (organization_id, endpoint_id, event_id, event_type, body)
       VALUES ($1, $2, $3, 'webhook.test', $4) RETURNING ${DELIVERY_COLUMNS}`,
      [principal.organizationId, endpoint.id, eventId, body],
    );
    await this.enqueueDelivery(rows[0].id);
    return rows[0];
  }

  private async endpoint(principal: Principal, id: string): Promise<WebhookEndpointRow> {
    const rows: WebhookEndpointRow[] = await this.dataSource.query(
      `SELECT id, url, events, enabled, created_at FROM notifications.webhook_endpoints
        WHERE organization_id = $1 AND id = $2`,
      [principal.organizationId, parseId(id)],
    );
    if (!rows[0]) throw new NotFoundError('WebhookEndpoint', id);
    return rows[0];
  }
}
