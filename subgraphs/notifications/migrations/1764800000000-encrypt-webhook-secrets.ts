import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig, webhookSecretKeyRing } from '../../../core/config/config';
import { SecretBox } from '../webhooks/secret-box';

interface EndpointSecret {
  id: string;
  organization_id: string;
  secret: string;
}

/**
 * Webhook signing secrets were stored in plaintext: seal every plaintext row with the first
 * `WEBHOOK_SECRET_KEYS` key (webhooks/secret-box.ts). Rows already sealed are left alone, so a
 * rerun after a partial failure is harmless. down() opens them again.
 */
export class EncryptWebhookSecrets1764800000000 implements MigrationInterface {
  name = 'EncryptWebhookSecrets1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const box = new SecretBox(webhookSecretKeyRing(loadConfig().WEBHOOK_SECRET_KEYS));
    const rows: EndpointSecret[] = await queryRunner.query(
      `SELECT id, organization_id, secret FROM notifications.webhook_endpoints
        WHERE secret NOT LIKE 'v1.%' FOR UPDATE`,
    );
    for (const row of rows) {
      await queryRunner.query(
        `UPDATE notifications.webhook_endpoints SET secret = $2 WHERE id = $1`,
        [row.id, box.seal(row.secret, row.organization_id)],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const box = new SecretBox(webhookSecretKeyRing(loadConfig().WEBHOOK_SECRET_KEYS));
    const rows: EndpointSecret[] = await queryRunner.query(
      `SELECT id, organization_id, secret FROM notifications.webhook_endpoints
        WHERE secret LIKE 'v1.%' FOR UPDATE`,
    );
    for (const row of rows) {
      await queryRunner.query(
        `UPDATE notifications.webhook_endpoints SET secret = $2 WHERE id = $1`,
        [row.id, box.open(row.secret, row.organization_id)],
      );
    }
  }
}
