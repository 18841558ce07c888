import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '../../../core/events/outbox';

/**
 * The documents schema: documents (with every column the upload flow and the pipeline will
 * fill, so the table need not be rebuilt), the organization's categories, and the outbox.
 */
export class CreateDocuments1764100000000 implements MigrationInterface {
  name = 'CreateDocuments1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Trigram indexes serve the case-insensitive "contains" filter on title and text.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);

    await queryRunner.query(`
      CREATE TABLE documents.documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        uploaded_by_id uuid NOT NULL,
        origin text NOT NULL CHECK (origin IN ('TEXT','UPLOAD')),
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
        filename text NOT NULL,
        content_type text NOT NULL,
        byte_size integer NOT NULL CHECK (byte_size >= 0),
        sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text,
        text text,
        status text NOT NULL CHECK (status IN ('AWAITING_UPLOAD','QUEUED','PROCESSING','PROCESSED','FAILED')),
        processing_stage text CHECK (processing_stage IN ('VALIDATE','EXTRACT','CLASSIFY','SUMMARIZE','EXTRACT_FACTS','INDEX','FINALIZE')),
        processing_progress real NOT NULL DEFAULT 0 CHECK (processing_progress BETWEEN 0 AND 1),
        processing_attempts integer NOT NULL DEFAULT 0 CHECK (processing_attempts >= 0),
        processing_error text,
        processing_started_at timestamptz(3),
        processing_finished_at timestamptz(3),
        category text,
        category_confidence double precision CHECK (category_confidence BETWEEN 0 AND 1),
        category_overridden boolean NOT NULL DEFAULT false,
        tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
        summary text,
        facts jsonb,
        page_count integer CHECK (page_count >= 0),
        language text,
        expires_on date,
        upload_expires_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        processed_at timestamptz(3)
      )`);
    // Every list query leads with the organization, then the sort key and id (keyset pagination).
    await queryRunner.query(
      `CREATE INDEX documents_org_created ON documents.documents (organization_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_org_updated ON documents.documents (organization_id, updated_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_org_title ON documents.documents (organization_id, title, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_org_status ON documents.documents (organization_id, status)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_org_category ON documents.documents (organization_id, category)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_org_expires ON documents.documents (organization_id, expires_on) WHERE expires_on IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX documents_tags ON documents.documents USING gin (tags)`);
    await queryRunner.query(
      `CREATE INDEX documents_title_trgm ON documents.documents USING gin (title gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_text_trgm ON documents.documents USING gin (text gin_trgm_ops)`,
    );
    // What the pipeline's recovery sweeps will look for: work in flight, abandoned uploads.
    await queryRunner.query(
      `CREATE INDEX documents_in_flight ON documents.documents (updated_at) WHERE status IN ('QUEUED','PROCESSING')`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_awaiting_upload ON documents.documents (upload_expires_at) WHERE status = 'AWAITING_UPLOAD'`,
    );

    await queryRunner.query(`
      CREATE TABLE documents.categories (
        organization_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        description text,
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, name)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX categories_org_name_ci ON documents.categories (organization_id, lower(name))`,
    );

    for (const statement of createOutboxTableSql('documents')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE documents.outbox`);
    await queryRunner.query(`DROP TABLE documents.categories`);
    await queryRunner.query(`DROP TABLE documents.documents`);
  }
}
