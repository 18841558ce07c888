import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Severity } from '../../../core/graphql/severity';
import type { Logger } from '../../../core/logging/logger';
import type { CreateNotificationsService } from '../services/create-notifications.service';
import type { DeliverWebhookJobData } from '../webhooks/delivery-queue';
import { SecretBoxError, type SecretBox } from '../webhooks/secret-box';
import type { WebhookSender } from '../webhooks/webhook-sender';
import { signWebhook } from '../webhooks/webhook-signature';

interface DeliveryRow {
  id: string;
  organization_id: string;
  endpoint_id: string;
  event_id: string;
  body: string;
  status: string;
  url: string;
  /** Sealed (webhooks/secret-box.ts); opened only to sign. */
  secret: string;
  enabled: boolean;
  created_by: string;
}

/**
 * Sends one delivery, signed (Standard Webhooks). A 2xx ends it; anything else is recorded and
 * retried by BullMQ with exponential backoff; the last failure marks it FAILED and, after
 * `disableAfter` failed deliveries in a row, disables the endpoint and tells its creator.
 * A signing secret that does not decrypt (its key left `WEBHOOK_SECRET_KEYS`, the row was
 * altered) fails the delivery at once: retrying cannot help, and it is not the receiver's fault,
 * so the endpoint's failure count is left alone.
 */
export class DeliverWebhookJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: WebhookSender,
    private readonly secrets: SecretBox,
    private readonly notifications: CreateNotificationsService,
    private readonly settings: { disableAfter: number },
    private readonly logger: Logger,
  ) {}

  async handle(job: Job<DeliverWebhookJobData>): Promise<string> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT d.id, d.organization_id, d.endpoint_id, d.event_id, d.body, d.status, e.url, e.secret, e.enabled, e.created_by
         FROM notifications.webhook_deliveries d JOIN notifications.webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1`,
      [job.data.deliveryId],
    );
    const delivery = rows[0];
    if (!delivery || delivery.status === 'SUCCEEDED' || delivery.status === 'FAILED') return 'done';
    if (!delivery.enabled) {
      await this.dataSource.query(
        `UPDATE notifications.webhook_deliveries SET status = 'FAILED', last_error = 'endpoint disabled' WHERE id = $1`,
        [delivery.id],
      );
      return 'endpoint disabled';
    }
    let secret: string;
    try {
      secret = this.secrets.open(delivery.secret, delivery.organization_id);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      return this.undecryptable(delivery, job.attemptsMade + 1, error);
    }
    const headers = signWebhook(
      secret,
      delivery.event_id,
      Math.floor(Date.now() / 1000),
      delivery.body,
    );
    const response = await this.sender.send(delivery.url, headers, delivery.body);
    const ok = response.status !== null && response.status >= 200 && response.status < 300;
    const attempts = job.attemptsMade + 1;
    const last = attempts >= (job.opts.attempts ?? 1);
    const status = ok ? 'SUCCEEDED' : last ? 'FAILED' : 'RETRYING';
    const delay =
      job.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 0) : 0;
    const nextAttemptAt = ok || last ? null : new Date(Date.now() + delay * 2 ** (attempts - 1));
    await this.dataSource.query(
      `UPDATE notifications.webhook_deliveries
          SET status = $2, attempts = $3, response_status = $4, duration_ms = $5, last_error = $6,
              next_attempt_at = $7, delivered_at = CASE WHEN $2 = 'SUCCEEDED' THEN now() ELSE NULL END
        WHERE id = $1`,
      [
        delivery.id,
        status,
        attempts,
        response.status,
        response.durationMs,
        response.error,
        nextAttemptAt,
      ],
    );
    if (ok) {
      await this.dataSource.query(
        `UPDATE notifications.webhook_endpoints SET consecutive_failures = 0 WHERE id = $1`,
        [delivery.endpoint_id],
      );
      return 'delivered';
    }
    if (last) await this.failedFinally(delivery);
    const reason = response.error ?? `HTTP ${response.status}`;
    if (last) throw new UnrecoverableError(`webhook delivery failed: ${reason}`);
    throw new Error(`webhook delivery failed: ${reason}`);
  }

  private async undecryptable(
    delivery: DeliveryRow,
    attempts: number,
    error: SecretBoxError,
  ): Promise<never> {
    // The delivery log is the tenant's to read: the reason (key ids) goes to the operators' log.
    const reason = 'signing secret cannot be decrypted';
    this.logger.error(
      {
        err: error,
        deliveryId: delivery.id,
        endpointId: delivery.endpoint_id,
        organizationId: delivery.organization_id,
      },
      'webhook signing secret cannot be decrypted; delivery failed',
    );
    await this.dataSource.query(
      `UPDATE notifications.webhook_deliveries
          SET status = 'FAILED', attempts = $2, last_error = $3, next_attempt_at = NULL
        WHERE id = $1`,
      [delivery.id, attempts, reason],
    );
    throw new UnrecoverableError(`webhook delivery failed: ${reason}: ${error.message}`);
  }

  private async failedFinally(delivery: DeliveryRow): Promise<void> {
    // TypeORM answers UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ consecutive_failures: number; enabled: boolean }[], number] =
      await this.dataSource.query(
        `UPDATE notifications.webhook_endpoints SET consecutive_failures = consecutive_failures + 1
        WHERE id = $1 RETURNING consecutive_failures, enabled`,
        [delivery.endpoint_id],
      );
    if (!rows[0] || !rows[0].enabled || rows[0].consecutive_failures < this.settings.disableAfter)
      return;
    const [disabled]: [unknown[], number] = await this.dataSource.query(
      `UPDATE notifications.webhook_endpoints SET enabled = false, disabled_at = now()
        WHERE id = $1 AND enabled RETURNING id`,
      [delivery.endpoint_id],
    );
    if (!disabled.length) return;
    await this.notifications.execute(delivery.organization_id, delivery.id, [
      {
        userId: delivery.created_by,
        kind: 'WEBHOOK_DISABLED',
        title: 'A webhook was disabled',
        body: `${delivery.url} failed ${rows[0].consecutive_failures} deliveries in a row and was disabled; fix it and create it again.`,
        severity: Severity.HIGH,
        documentId: null,
        findingId: null,
      },
    ]);
  }
}
