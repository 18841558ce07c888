import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { RelayedEvent } from '../../../core/events/relayed-event';
import { webhookBody } from '../webhooks/webhook-body';
import type { DeliverWebhookJobData } from '../webhooks/delivery-queue';

/**
 * For one event: a delivery row per enabled endpoint of the organization whose filter takes it
 * (unique per endpoint and event: a redelivered event records nothing twice), then one delivery
 * job per row (job id = delivery id).
 */
export class WebhookFanoutJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: Queue<DeliverWebhookJobData>,
  ) {}

  async handle(event: RelayedEvent): Promise<number> {
    const body = webhookBody(event);
    await this.dataSource.query(
      `INSERT INTO notifications.webhook_deliveries (organization_id, endpoint_id, event_id, event_type, body)
       SELECT organization_id, id, $2, $3, $4 FROM notifications.webhook_endpoints
        WHERE organization_id = $1 AND enabled AND (cardinality(events) = 0 OR $3 = ANY(events))
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [event.organizationId, event.id, event.type, body],
    );
    // Queue every pending row of this event, the ones of an earlier, interrupted run included.
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notifications.webhook_deliveries WHERE event_id = $1 AND organization_id = $2 AND status = 'PENDING' AND attempts = 0`,
      [event.id, event.organizationId],
    );
    if (rows.length)
      await this.deliveries.addBulk(
        rows.map((r) => ({ name: event.type, data: { deliveryId: r.id }, opts: { jobId: r.id } })),
      );
    return rows.length;
  }
}
