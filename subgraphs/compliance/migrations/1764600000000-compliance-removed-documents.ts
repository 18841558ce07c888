import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removed documents leave a tombstone: a `document.processed` or `document.updated` that
 * arrives after `document.deleted` (late, redelivered or reordered) must not bring the document
 * or its findings back, and compliance keeps no other trace of a deletion.
 */
export class ComplianceRemovedDocuments1764600000000 implements MigrationInterface {
  name = 'ComplianceRemovedDocuments1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE compliance.removed_documents (
        document_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        removed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE compliance.removed_documents`);
  }
}
