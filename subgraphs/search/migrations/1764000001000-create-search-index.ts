import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../../../core/config/config';

/**
 * The search index: chunks with their embeddings and tsvector, and the BM25 tables
 * (ARCHITECTURE.md, Retrieval) that the indexer fills.
 *
 * EMBEDDING_DIM is read here, once, when the migration runs: it is set once per deployment and
 * must match `search.chunks.embedding` from then on. Changing it later needs a new migration
 * that re-creates the column and its index and re-embeds every chunk.
 */
export class CreateSearchIndex1764000001000 implements MigrationInterface {
  name = 'CreateSearchIndex1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { EMBEDDING_DIM } = loadConfig();
    // In `public`, as TypeORM and every other schema expect to find the `vector` type.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public`);
    await queryRunner.query(`
      CREATE TABLE search.chunks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        document_id uuid NOT NULL,
        index int NOT NULL CHECK (index >= 0),
        page int,
        text text NOT NULL,
        token_count int NOT NULL CHECK (token_count >= 0),
        embedding public.vector(${EMBEDDING_DIM}) NOT NULL,
        embedding_model text NOT NULL,
        tsv tsvector NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT chunks_document_index UNIQUE (document_id, index)
      )`);
    await queryRunner.query(
      `CREATE INDEX chunks_embedding_hnsw ON search.chunks USING hnsw (embedding public.vector_cosine_ops)`,
    );
    await queryRunner.query(`CREATE INDEX chunks_tsv ON search.chunks USING gin (tsv)`);
    await queryRunner.query(
      `CREATE INDEX chunks_organization_document ON search.chunks (organization_id, document_id)`,
    );

    // BM25 postings: one row per (chunk, lexeme); `impact` is the stored BM25 term part
    // tf·(k1+1) / (tf + k1·(1−b+b·len/avglen)), so a query reads only each term's top postings.
    await queryRunner.query(`
      CREATE TABLE search.postings (
        organization_id uuid NOT NULL,
        lexeme text NOT NULL,
        chunk_id uuid NOT NULL REFERENCES search.chunks (id) ON DELETE CASCADE,
        tf int NOT NULL CHECK (tf > 0),
        impact real NOT NULL,
        PRIMARY KEY (chunk_id, lexeme)
      )`);
    await queryRunner.query(
      `CREATE INDEX postings_impact ON search.postings (organization_id, lexeme, impact DESC) INCLUDE (chunk_id)`,
    );
    // Per-organization statistics: document frequency per lexeme, and the corpus size and length.
    await queryRunner.query(`
      CREATE TABLE search.term_stats (
        organization_id uuid NOT NULL,
        lexeme text NOT NULL,
        df int NOT NULL CHECK (df >= 0),
        PRIMARY KEY (organization_id, lexeme)
      )`);
    await queryRunner.query(`
      CREATE TABLE search.corpus_stats (
        organization_id uuid PRIMARY KEY,
        chunk_count int NOT NULL CHECK (chunk_count >= 0),
        total_length bigint NOT NULL CHECK (total_length >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE search.corpus_stats`);
    await queryRunner.query(`DROP TABLE search.term_stats`);
    await queryRunner.query(`DROP TABLE search.postings`);
    await queryRunner.query(`DROP TABLE search.chunks`);
    // The `vector` extension stays: it is database-wide and other schemas may use it.
  }
}
