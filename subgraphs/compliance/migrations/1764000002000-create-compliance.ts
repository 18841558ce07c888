import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '../../../core/events/outbox';

const SEVERITIES = `('INFO','LOW','MEDIUM','HIGH','CRITICAL')`;

export class CreateCompliance1764000002000 implements MigrationInterface {
  name = 'CreateCompliance1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE compliance.policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        severity text NOT NULL CHECK (severity IN ${SEVERITIES}),
        enabled boolean NOT NULL DEFAULT true,
        kind text NOT NULL CHECK (kind IN ('REQUIRED_FACT','EXPIRES_WITHIN','RETENTION','PII','FORBIDDEN_TERM','REQUIRED_TERM','CLASSIFICATION')),
        params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
        categories text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        -- The target of findings' foreign key, which thereby keeps a finding in its policy's organization.
        CONSTRAINT policies_organization_id UNIQUE (organization_id, id)
      )`);
    await queryRunner.query(
      `CREATE INDEX policies_organization_created ON compliance.policies (organization_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE compliance.findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        policy_id uuid NOT NULL,
        document_id uuid NOT NULL,
        severity text NOT NULL CHECK (severity IN ${SEVERITIES}),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ACKNOWLEDGED','RESOLVED')),
        message text NOT NULL,
        evidence text,
        detected_at timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at timestamptz(3),
        CONSTRAINT findings_policy FOREIGN KEY (organization_id, policy_id)
          REFERENCES compliance.policies (organization_id, id) ON DELETE CASCADE,
        CONSTRAINT findings_resolved_at CHECK ((status = 'RESOLVED') = (resolved_at IS NOT NULL))
      )`);
    // One unresolved finding per policy × document: re-evaluation updates it rather than piling up.
    await queryRunner.query(
      `CREATE UNIQUE INDEX findings_one_open_per_policy_document ON compliance.findings (policy_id, document_id) WHERE status <> 'RESOLVED'`,
    );
    await queryRunner.query(
      `CREATE INDEX findings_organization_detected ON compliance.findings (organization_id, detected_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX findings_organization_document ON compliance.findings (organization_id, document_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE compliance.compliance_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        trigger text NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3),
        documents_checked int NOT NULL DEFAULT 0 CHECK (documents_checked >= 0),
        findings_opened int NOT NULL DEFAULT 0 CHECK (findings_opened >= 0),
        findings_resolved int NOT NULL DEFAULT 0 CHECK (findings_resolved >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX compliance_runs_organization_started ON compliance.compliance_runs (organization_id, started_at DESC, id DESC)`,
    );

    for (const statement of createOutboxTableSql('compliance')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE compliance.outbox`);
    await queryRunner.query(`DROP TABLE compliance.compliance_runs`);
    await queryRunner.query(`DROP TABLE compliance.findings`);
    await queryRunner.query(`DROP TABLE compliance.policies`);
  }
}
