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
 * Memory for the bulk build: pgvector builds in memory when the graph fits (about 0.7 kB per
 * vector of 200 half-precision dimensions), several times faster than on disk.
 */
const BUILD_MEMORY = '256MB';

/**
 * PostgreSQL's parallel workers for the build: none. On this project's 2-core machines, shared
 * with the trainer's own process and the serving roles, the leader alone built the 100,472-chunk
 * graph in 39–47 s against 56–60 s with the default two workers and 60 s with one (bench/search/
 * vector-index-study.ts `WORKERS=0|1`, load 1.4–2.9, side by side): three processes on two cores
 * contend for the shared graph's locks and for the cores.
 */
const BUILD_WORKERS = 0;

/**
 * Twice pgvector's default candidate list while building: short queries fold in far from every
 * chunk (cosine distance ~0.7 to the nearest on bench:search's corpus) and need a well-connected
 * graph. At 10,000 LSA chunks recall@10 at ef_search 100/200/400 rose from 0.73/0.84/0.92 to
 * 0.82/0.92/0.97 for a build 1.5 times as long; at 100,000 (bench/search/vector-index-study.ts)
 * 64 gave 0.935 at ef_search 1,000 against 128's 0.950 for half the build, m 32 0.960 for 1.4
 * times the build and 1.7 times the latency, m 24 0.950.
 */
const EF_CONSTRUCTION = 128;

/**
 * What the graph indexes: the version's own dimensions (the rest of the column is zero padding
 * to EMBEDDING_DIM) in half precision. At 100,000 chunks of 200 dimensions the graph is 71 MB
 * instead of 131 (it fits PostgreSQL's default 128 MB of shared buffers beside the hot pages),
 * builds in 59 s instead of 72 under the same load, and answers ef_search 1,000 in 5.8 ms
 * instead of 8.2 with the same recall (0.950 against 0.951; bench/search/vector-index-study.ts,
 * docs/decisions.md). Search orders the graph's candidates by this expression, then re-sorts
 * them by the stored vectors' exact distance. `alias` names the lsa_embeddings row ('' in the
 * index definition).
 */
export function lsaIndexedExpression(alias: string, dimensions: number): string {
  const column = alias ? `${alias}.embedding` : 'embedding';
  const d = assertDimensions(dimensions);
  return `(public.subvector(${column}, 1, ${d}))::public.halfvec(${d})`;
}

/** The query side of lsaIndexedExpression: a query vector parameter cut and cast the same way. */
export function lsaIndexedQuery(parameter: string, dimensions: number): string {
  const d = assertDimensions(dimensions);
  return `(public.subvector(${parameter}::public.vector, 1, ${d}))::public.halfvec(${d})`;
}

export const lsaVersionIndexName = (modelId: string): string =>
  `lsa_embeddings_hnsw_${assertId(modelId)}`;

/** Builds (or rebuilds, after an interrupted build left it invalid) a version's graph. */
export async function buildLsaVersionIndex(
  dataSource: DataSource,
  modelId: string,
  dimensions: number,
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`SET maintenance_work_mem = '${BUILD_MEMORY}'`);
    await runner.query(`SET max_parallel_maintenance_workers = ${BUILD_WORKERS}`);
    const name = lsaVersionIndexName(modelId);
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS search.${name}`);
    await runner.query(
      `CREATE INDEX CONCURRENTLY ${name} ON search.lsa_embeddings
         USING hnsw ((${lsaIndexedExpression('', dimensions)}) public.halfvec_cosine_ops)
         WITH (m = 16, ef_construction = ${EF_CONSTRUCTION})
         WHERE model_id = ${assertId(modelId)}`,
    );
  } finally {
    await runner.query(`RESET statement_timeout`).catch(() => undefined);
    await runner.query(`RESET maintenance_work_mem`).catch(() => undefined);
    await runner.query(`RESET max_parallel_maintenance_workers`).catch(() => undefined);
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

/** A version's dimension count, spliced into DDL and SQL: checked (pgvector's halfvec: ≤ 16,000). */
function assertDimensions(dimensions: number): number {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000)
    throw new Error(`Not a dimension count: ${dimensions}`);
  return dimensions;
}

/** Model ids are bigints from our own table; checked because they are spliced into DDL. */
function assertId(modelId: string): string {
  if (!/^\d{1,18}$/.test(modelId)) throw new Error(`Not a model id: ${modelId}`);
  return modelId;
}
