import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../../../core/config/config';

/**
 * Retrieval's additions (issue 9):
 * - `corpus_stats.impact_avg_length`: the average chunk length the stored BM25 impacts were
 *   computed with (they are refreshed when the real average drifts from it), and
 *   `text_search_configs`: how many of the organization's chunks each text-search configuration
 *   analysed, so a query is analysed with the configurations that matter.
 * - Per-organization LSA models (subgraphs/search/semantic): a versioned row per model, its term
 *   vectors per (model, lexeme) so folding a text in reads only that text's terms, and the new
 *   version's chunk embeddings staged until the model is switched to, atomically.
 */
export class Bm25ImpactsAndLsaModels1764400001000 implements MigrationInterface {
  name = 'Bm25ImpactsAndLsaModels1764400001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { EMBEDDING_DIM } = loadConfig();
    // Statistics move by signed deltas in one sorted upsert (the lock order that keeps concurrent
    // indexers of one organization free of deadlocks), so a proposed row may carry a negative
    // delta: the result is clamped at zero in the update instead of a CHECK on the proposed row.
    await queryRunner.query(`ALTER TABLE search.term_stats DROP CONSTRAINT term_stats_df_check`);
    await queryRunner.query(`
      ALTER TABLE search.corpus_stats
        ADD COLUMN impact_avg_length double precision,
        ADD COLUMN text_search_configs jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE TABLE search.lsa_models (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL,
        version int NOT NULL CHECK (version > 0),
        status text NOT NULL CHECK (status IN ('building', 'current', 'retired', 'failed')),
        dimensions int NOT NULL CHECK (dimensions > 0),
        term_count int NOT NULL DEFAULT 0,
        trained_chunks int NOT NULL DEFAULT 0,
        corpus_chunks int NOT NULL DEFAULT 0,
        training_ms int,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        activated_at timestamptz(3),
        CONSTRAINT lsa_models_organization_version UNIQUE (organization_id, version)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX lsa_models_current ON search.lsa_models (organization_id) WHERE status = 'current'`,
    );
    // A term's row: the LSA direction of one lexeme, already scaled by its idf, as little-endian
    // float32s (bytea is read and written without text parsing).
    await queryRunner.query(`
      CREATE TABLE search.lsa_terms (
        model_id bigint NOT NULL REFERENCES search.lsa_models (id) ON DELETE CASCADE,
        lexeme text NOT NULL,
        vector bytea NOT NULL,
        PRIMARY KEY (model_id, lexeme)
      )`);
    await queryRunner.query(`
      CREATE TABLE search.lsa_staged_embeddings (
        model_id bigint NOT NULL REFERENCES search.lsa_models (id) ON DELETE CASCADE,
        chunk_id uuid NOT NULL REFERENCES search.chunks (id) ON DELETE CASCADE,
        embedding public.vector(${EMBEDDING_DIM}) NOT NULL,
        PRIMARY KEY (model_id, chunk_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE search.lsa_staged_embeddings`);
    await queryRunner.query(`DROP TABLE search.lsa_terms`);
    await queryRunner.query(`DROP TABLE search.lsa_models`);
    await queryRunner.query(
      `ALTER TABLE search.corpus_stats DROP COLUMN text_search_configs, DROP COLUMN impact_avg_length`,
    );
    await queryRunner.query(
      `ALTER TABLE search.term_stats ADD CONSTRAINT term_stats_df_check CHECK (df >= 0)`,
    );
  }
}
