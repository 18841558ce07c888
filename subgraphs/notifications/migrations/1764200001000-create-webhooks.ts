import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1764200001000 implements MigrationInterface {
  name = 'CreateWebhooks1764200001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications.webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL DEFAULT '{}',
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        consecutive_failures int NOT NULL DEFAULT 0,
        created_by uuid NOT NULL,
        disabled_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoints_organization ON notifications.webhook_endpoints (organization_id) WHERE enabled`,
    );
    await queryRunner.query(`
      CREATE TABLE notifications.webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        endpoint_id uuid NOT NULL REFERENCES notifications.webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','RETRYING','SUCCEEDED','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        response_status int,
        duration_ms int,
        last_error text,
        next_attempt_at timestamptz(3),
        delivered_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX webhook_deliveries_endpoint_event ON notifications.webhook_deliveries (endpoint_id, event_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_endpoint_created ON notifications.webhook_deliveries (endpoint_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications.webhook_deliveries`);
    await queryRunner.query(`DROP TABLE notifications.webhook_endpoints`);
  }
}
