import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../../../core/config/config';
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
    const box = SecretBox.fromKeys(loadConfig().WEBHOOK_SECRET_KEYS);
    await rewriteSecrets(queryRunner, false, (row) => box.seal(row.secret, row.organization_id));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const box = SecretBox.fromKeys(loadConfig().WEBHOOK_SECRET_KEYS);
    await rewriteSecrets(queryRunner, true, (row) => box.open(row.secret, row.organization_id));
  }
}

/** Rewrites the endpoints whose secret is (or is not) sealed, rows locked while it runs. */
async function rewriteSecrets(
  queryRunner: QueryRunner,
  sealed: boolean,
  rewrite: (row: EndpointSecret) => string,
): Promise<void> {
  const rows: EndpointSecret[] = await queryRunner.query(
    `SELECT id, organization_id, secret FROM notifications.webhook_endpoints FOR UPDATE`,
  );
  for (const row of rows.filter((r) => SecretBox.isSealed(r.secret) === sealed))
    await queryRunner.query(
      `UPDATE notifications.webhook_endpoints SET secret = $2 WHERE id = $1`,
      [row.id, rewrite(row)],
    );
}
