import type { DataSource } from 'typeorm';

/**
 * The HNSW graph of one LSA model version: a partial index of `search.lsa_embeddings`
 * (`WHERE model_id = <id>`), so a search walks only that version's vectors — never another
 * organization's or version's — and the graph is built in bulk once the version's rows are
 * written (CREATE INDEX CONCURRENTLY: indexers and readers go on meanwhile), instead of one
 * insertion per chunk. Chunks folded in later are inserted into it like any index entry.
 *
 * Versions with fewer chunks than `LSA_HNSW_MIN_CHUNKS` get no graph: an exact scan of their
 * rows (by the (model_id, chunk_id) index) costs less than a graph walk would save.
 */
export const LSA_HNSW_MIN_CHUNKS = 5_000;

/**
 * Memory for the bulk build: pgvector builds in memory when the graph fits (about 1.4 kB per
 * 256-dimension vector), several times faster than on disk. 100,000 chunks need about 140 MB.
 */
const BUILD_MEMORY = '256MB';

/**
 * Twice pgvector's default candidate list while building: short queries fold in far from every
 * chunk (cosine distance ~0.7 to the nearest on bench:search's corpus) and need a well-connected
 * graph. At 10,000 LSA chunks recall@10 at ef_search 100/200/400 rose from 0.73/0.84/0.92 to
 * 0.82/0.92/0.97 for a build 1.5 times as long (m 32 added little more).
 */
const EF_CONSTRUCTION = 128;

export const lsaVersionIndexName = (modelId: string): string =>
  `lsa_embeddings_hnsw_${assertId(modelId)}`;

/** Builds (or rebuilds, after an interrupted build left it invalid) a version's graph. */
export async function buildLsaVersionIndex(dataSource: DataSource, modelId: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`SET maintenance_work_mem = '${BUILD_MEMORY}'`);
    const name = lsaVersionIndexName(modelId);
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS search.${name}`);
    await runner.query(
      `CREATE INDEX CONCURRENTLY ${name} ON search.lsa_embeddings
         USING hnsw (embedding public.vector_cosine_ops) WITH (m = 16, ef_construction = ${EF_CONSTRUCTION})
         WHERE model_id = ${assertId(modelId)}`,
    );
  } finally {
    await runner.query(`RESET statement_timeout`).catch(() => undefined);
    await runner.query(`RESET maintenance_work_mem`).catch(() => undefined);
    await runner.release();
  }
}

/** Drops a version's graph (a retired or failed version is never searched again). */
export async function dropLsaVersionIndex(dataSource: DataSource, modelId: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS search.${lsaVersionIndexName(modelId)}`);
  } finally {
    await runner.query(`RESET statement_timeout`).catch(() => undefined);
    await runner.release();
  }
}

/** Whether a version has a usable graph (built and valid). */
export async function hasLsaVersionIndex(
  dataSource: DataSource,
  modelId: string,
): Promise<boolean> {
  const rows = await dataSource.query<unknown[]>(
    `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'search' AND c.relname = $1 AND i.indisvalid`,
    [lsaVersionIndexName(modelId)],
  );
  return rows.length > 0;
}

/**
 * Deletes versions' rows in short transactions of `batch` rows, so removing 100,000 old
 * embeddings never holds locks or a snapshot for long. Their graph is dropped first (deleting
 * from a dropped index costs nothing).
 */
export async function removeLsaVersions(
  dataSource: DataSource,
  modelIds: readonly string[],
  batch = 5_000,
): Promise<number> {
  let removed = 0;
  for (const modelId of modelIds) {
    await dropLsaVersionIndex(dataSource, modelId);
    for (;;) {
      const [, count] = (await dataSource.query(
        `DELETE FROM search.lsa_embeddings e USING (
           SELECT chunk_id FROM search.lsa_embeddings WHERE model_id = $1 LIMIT $2) b
          WHERE e.model_id = $1 AND e.chunk_id = b.chunk_id`,
        [modelId, batch],
      )) as [unknown, number];
      removed += count;
      if (count < batch) break;
    }
  }
  return removed;
}

/** Model ids are bigints from our own table; checked because they are spliced into DDL. */
function assertId(modelId: string): string {
  if (!/^\d{1,18}$/.test(modelId)) throw new Error(`Not a model id: ${modelId}`);
  return modelId;
}
