import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search's own copy of what search filters documents by (category, tags, creation time), kept
 * current from document events (no cross-schema reads). Retrieval joins it inside its ranking SQL
 * so a filter narrows before the top-k cut.
 *
 * `event_at` is the `occurredAt` of the event that wrote the row: a redelivered or late older
 * event never overwrites what a newer one wrote.
 */
export class CreateDocumentFacets1764300000000 implements MigrationInterface {
  name = 'CreateDocumentFacets1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE search.document_facets (
        document_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        category text,
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        event_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX document_facets_organization_category ON search.document_facets (organization_id, category)`,
    );
    await queryRunner.query(
      `CREATE INDEX document_facets_organization_created ON search.document_facets (organization_id, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX document_facets_tags ON search.document_facets USING gin (tags)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE search.document_facets`);
  }
}
