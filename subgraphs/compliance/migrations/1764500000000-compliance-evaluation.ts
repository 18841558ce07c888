import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What evaluation needs:
 * - `documents`: compliance's own copy of what it judges, kept from document events (no
 *   cross-schema reads). `event_at` is the occurredAt of the event that last wrote the row, so a
 *   late or redelivered older event never overwrites a newer one. `processed_at` null: not yet
 *   processed (its compliance is PENDING).
 * - `organizations`: the organizations compliance knows, and when their default policies were
 *   seeded (once; deleting them all does not bring them back).
 * - runs gain a scope, a key that makes a scheduled tick or an event one run however often it is
 *   delivered, and batches: keyset ranges of documents evaluated by independent jobs, each
 *   marked done in the transaction that writes its findings (a retried batch changes nothing).
 */
export class ComplianceEvaluation1764500000000 implements MigrationInterface {
  name = 'ComplianceEvaluation1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE compliance.documents (
        document_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        title text NOT NULL DEFAULT '',
        category text,
        category_confidence real,
        tags text[] NOT NULL DEFAULT '{}',
        facts jsonb,
        expires_on date,
        text text NOT NULL DEFAULT '',
        uploaded_by_id uuid,
        created_at timestamptz(3) NOT NULL,
        processed_at timestamptz(3),
        event_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX documents_organization_document ON compliance.documents (organization_id, document_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_organization_expiry ON compliance.documents (organization_id, document_id) WHERE expires_on IS NOT NULL AND processed_at IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE compliance.organizations (
        organization_id uuid PRIMARY KEY,
        defaults_seeded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      ALTER TABLE compliance.compliance_runs
        ADD COLUMN scope text NOT NULL DEFAULT 'ALL' CHECK (scope IN ('ALL','EXPIRY','POLICY','DOCUMENT')),
        ADD COLUMN policy_id uuid,
        ADD COLUMN run_key text,
        ADD COLUMN planned_at timestamptz(3),
        ADD COLUMN batch_count int NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX compliance_runs_key ON compliance.compliance_runs (organization_id, run_key) WHERE run_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX compliance_runs_unfinished ON compliance.compliance_runs (started_at) WHERE finished_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE compliance.run_batches (
        run_id uuid NOT NULL REFERENCES compliance.compliance_runs (id) ON DELETE CASCADE,
        batch_index int NOT NULL,
        organization_id uuid NOT NULL,
        after_document_id uuid,
        last_document_id uuid NOT NULL,
        done_at timestamptz(3),
        PRIMARY KEY (run_id, batch_index)
      )`);

    await queryRunner.query(`
      ALTER TABLE compliance.findings
        ADD COLUMN acknowledged_at timestamptz(3),
        ADD COLUMN resolution_note text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE compliance.findings DROP COLUMN acknowledged_at, DROP COLUMN resolution_note`,
    );
    await queryRunner.query(`DROP TABLE compliance.run_batches`);
    await queryRunner.query(`DROP INDEX compliance.compliance_runs_unfinished`);
    await queryRunner.query(`DROP INDEX compliance.compliance_runs_key`);
    await queryRunner.query(`
      ALTER TABLE compliance.compliance_runs
        DROP COLUMN scope, DROP COLUMN policy_id, DROP COLUMN run_key, DROP COLUMN planned_at, DROP COLUMN batch_count`);
    await queryRunner.query(`DROP TABLE compliance.organizations`);
    await queryRunner.query(`DROP TABLE compliance.documents`);
  }
}
