import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the upload flow and the pipeline need beyond the first table: the run a document's jobs
 * belong to (a reprocess starts a new one, so jobs of an older run stop), per-stage timings,
 * the PDF-without-text-layer mark, and duplicate detection by content hash per organization.
 */
export class AddPipelineColumns1764300000000 implements MigrationInterface {
  name = 'AddPipelineColumns1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE documents.documents
        ADD COLUMN processing_run_id uuid,
        ADD COLUMN processing_timings jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN needs_ocr boolean NOT NULL DEFAULT false,
        ADD COLUMN duplicate_of_id uuid`);
    await queryRunner.query(
      `CREATE INDEX documents_org_sha256 ON documents.documents (organization_id, sha256) WHERE sha256 IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX documents.documents_org_sha256`);
    await queryRunner.query(`
      ALTER TABLE documents.documents
        DROP COLUMN processing_run_id, DROP COLUMN processing_timings,
        DROP COLUMN needs_ocr, DROP COLUMN duplicate_of_id`);
  }
}
