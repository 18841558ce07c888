import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../../../core/config/config';

/**
 * LSA embeddings stored per model version (issue 9): `search.lsa_embeddings` holds one row per
 * (chunk, model version). A new version's rows are written in the background; switching to it
 * is the one-row flip of `lsa_models.status`, and the old version's rows are deleted in batches
 * afterwards. Before, the switch rewrote every chunk's `embedding` (and its HNSW entry) in one
 * transaction under the organization's model lock: minutes at 100,000 chunks, indexers held.
 *
 * The HNSW graph is one partial index per large model version (`WHERE model_id = <id>`), built
 * in bulk by the trainer once the version's rows are written (subgraphs/search/semantic/
 * lsa-vector-index.ts): a version's search walks only its own graph, no other organization's or
 * version's vectors. Small versions need none (an exact scan of their rows is cheap).
 * `search.chunks.embedding` keeps the provider's vectors (hashed until the first model; openai).
 *
 * Existing LSA embeddings (chunks whose `embedding_model` names a model version) are copied; the
 * staging table is replaced by the new one.
 */
export class LsaEmbeddingsPerVersion1764600000000 implements MigrationInterface {
  name = 'LsaEmbeddingsPerVersion1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { EMBEDDING_DIM } = loadConfig();
    await queryRunner.query(`
      CREATE TABLE search.lsa_embeddings (
        chunk_id uuid NOT NULL REFERENCES search.chunks (id) ON DELETE CASCADE,
        model_id bigint NOT NULL REFERENCES search.lsa_models (id) ON DELETE CASCADE,
        embedding public.vector(${EMBEDDING_DIM}) NOT NULL,
        PRIMARY KEY (chunk_id, model_id)
      )`);
    // A version's rows: exact scans of small versions, the batched removal of retired ones.
    await queryRunner.query(
      `CREATE INDEX lsa_embeddings_model ON search.lsa_embeddings (model_id, chunk_id)`,
    );
    await queryRunner.query(`
      INSERT INTO search.lsa_embeddings (chunk_id, model_id, embedding)
      SELECT c.id, m.id, c.embedding
        FROM search.chunks c
        JOIN search.lsa_models m
          ON c.embedding_model = 'local-lsa-v1/' || m.id::text AND m.organization_id = c.organization_id`);
    await queryRunner.query(`DROP TABLE search.lsa_staged_embeddings`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { EMBEDDING_DIM } = loadConfig();
    await queryRunner.query(`
      CREATE TABLE search.lsa_staged_embeddings (
        model_id bigint NOT NULL REFERENCES search.lsa_models (id) ON DELETE CASCADE,
        chunk_id uuid NOT NULL REFERENCES search.chunks (id) ON DELETE CASCADE,
        embedding public.vector(${EMBEDDING_DIM}) NOT NULL,
        PRIMARY KEY (model_id, chunk_id)
      )`);
    // Back to one embedding per chunk: the current version's.
    await queryRunner.query(`
      UPDATE search.chunks c SET embedding = e.embedding, embedding_model = 'local-lsa-v1/' || m.id::text
        FROM search.lsa_embeddings e JOIN search.lsa_models m ON m.id = e.model_id AND m.status = 'current'
       WHERE e.chunk_id = c.id`);
    await queryRunner.query(`DROP TABLE search.lsa_embeddings`);
  }
}
