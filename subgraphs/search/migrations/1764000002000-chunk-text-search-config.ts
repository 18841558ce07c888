import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexer's additions: each chunk records the text-search configuration its `tsv` was built
 * with (queries must be analysed with the same one), and removed documents leave a tombstone so
 * that an index job that was already running when the document was deleted cannot bring its
 * chunks back.
 */
export class ChunkTextSearchConfig1764000002000 implements MigrationInterface {
  name = 'ChunkTextSearchConfig1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE search.chunks ADD COLUMN text_search_config text NOT NULL DEFAULT 'english'`,
    );
    await queryRunner.query(`
      CREATE TABLE search.removed_documents (
        document_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        removed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE search.removed_documents`);
    await queryRunner.query(`ALTER TABLE search.chunks DROP COLUMN text_search_config`);
  }
}
