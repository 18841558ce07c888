import type { DataSource } from 'typeorm';

/**
 * The vector index of one LSA model version: a partial IVFFlat index of `search.lsa_embeddings`
 * (`WHERE model_id = <id>`), so a search reads only that version's vectors — never another
 * organization's or version's — built in bulk once the version's rows are written (CREATE INDEX
 * CONCURRENTLY: indexers and readers go on meanwhile). Chunks folded in later go to their
 * nearest list like any index entry; the lists are learned again at the next training.
 *
 * IVFFlat, not HNSW (measured on bench:search's 100,472 LSA chunks, 100 queries,
 * bench/search/vector-index-study.ts, 2026-12-02): short queries fold in far from every chunk, so
 * their exact top 10 is spread over a topic's thousand chunks. HNSW (m 16, ef_construction 128,
 * ef_search 1,000, pgvector's largest) gave recall@10 0.924–0.964 from one build to the next
 * (0.949–0.961 with ef_construction 200, 0.968 with 256 for a 75 s build), statement p50 8–10 ms
 * but p95 35–57 ms, and its build was the longest stage of a training (45–60 s). IVFFlat with
 * 1,000 lists probed 320 at a time: 0.966, p50 10.9 / p95 15.4 ms, built in 16 s.
 *
 * Versions with fewer chunks than `LSA_INDEX_MIN_CHUNKS` get no index: an exact scan of their
 * rows (by the (model_id, chunk_id) index) costs less than the lists would save.
 */
export const LSA_INDEX_MIN_CHUNKS = 5_000;

/**
 * Memory for the bulk build (pgvector's k-means keeps its sample of the version's vectors in it).
 */
const BUILD_MEMORY = '256MB';

/**
 * PostgreSQL's parallel workers for the build: none. On this project's 2-core machines, shared
 * with the trainer's own process and the serving roles, extra build processes only contend for
 * the cores (measured for the HNSW graph this replaced: the leader alone built it in 39–47 s
 * against 56–60 s with the default two workers).
 */
const BUILD_WORKERS = 0;

/**
 * Lists of a version's index: 3·√rows (951 at 100,472 chunks). Finer lists cost less for the
 * same recall — at 100,472 chunks, probing about a third of them: 100 lists 0.947 at 14 ms,
 * 320 lists 0.957 at 13.4 ms, 1,000 lists 0.959–0.966 at 9–11 ms — while k-means' build grows
 * with lists × rows (1.7, 2.9 and 16 s); the square root keeps the build bounded as corpora grow
 * (pgvector's own advice is rows/1,000 up to a million rows, √rows above).
 */
export function lsaIndexLists(rows: number): number {
  return Math.min(MAX_LISTS, Math.max(1, Math.ceil(3 * Math.sqrt(Math.max(0, rows)))));
}
/** pgvector's limit. */
const MAX_LISTS = 32_768;

/**
 * Lists searched per query: a third. Recall@10 at 1,000 lists by lists probed (0.939 at 128,
 * 0.959 at 250, 0.966 at 320, 0.977 at 400) follows the share of the version read: these
 * queries' neighbours are in many lists, whatever the list count. The cost is a third of an
 * exact scan (about 11 ms at 100,000 chunks); the recall target asks for it.
 */
function lsaIndexProbes(lists: number): number {
  return Math.max(1, Math.ceil(lists / 3));
}

/**
 * What the index holds: the version's own dimensions (the rest of the column is zero padding to
 * EMBEDDING_DIM) in half precision — half the pages of the full column for the same recall
 * (0.950 against 0.951 when measured on the HNSW graph, bench/search/vector-index-study.ts,
 * docs/decisions.md). Search orders the index's candidates by this expression, then re-sorts
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

/** What a search needs to know of a version's index. */
export interface LsaVersionIndex {
  /**
   * 'ivfflat' (lists over the version's dimensions in half precision, as buildLsaVersionIndex
   * builds it now), an HNSW graph of the same expression ('halfvec', trained 2026-12-01 to
   * 2026-12-02) or of the full column ('vector', before), kept until the version's next
   * training; or null (versions under LSA_INDEX_MIN_CHUNKS are searched exactly).
   */
  index: 'ivfflat' | 'halfvec' | 'vector' | null;
  /** Lists probed per query (ivfflat). */
  probes: number;
}

/** A version's index as its definition (pg_get_indexdef, or null without one) describes it. */
export function readLsaVersionIndex(definition: string | null): LsaVersionIndex {
  if (!definition) return { index: null, probes: 1 };
  const lists = /USING ivfflat .*lists\s*=\s*'?(\d+)/.exec(definition);
  if (lists) return { index: 'ivfflat', probes: lsaIndexProbes(Number(lists[1])) };
  return { index: /halfvec/.test(definition) ? 'halfvec' : 'vector', probes: 1 };
}

/**
 * The name of a version's index, whatever its kind: versions trained before IVFFlat have an HNSW
 * graph under this name, which search still uses and retirement still drops.
 */
export const lsaVersionIndexName = (modelId: string): string =>
  `lsa_embeddings_hnsw_${assertId(modelId)}`;

/**
 * Builds (or rebuilds, after an interrupted build left it invalid) a version's index, its lists
 * sized for the `rows` the version has.
 */
export async function buildLsaVersionIndex(
  dataSource: DataSource,
  modelId: string,
  dimensions: number,
  rows: number,
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
         USING ivfflat ((${lsaIndexedExpression('', dimensions)}) public.halfvec_cosine_ops)
         WITH (lists = ${lsaIndexLists(rows)})
         WHERE model_id = ${assertId(modelId)}`,
    );
  } finally {
    await runner.query(`RESET statement_timeout`).catch(() => undefined);
    await runner.query(`RESET maintenance_work_mem`).catch(() => undefined);
    await runner.query(`RESET max_parallel_maintenance_workers`).catch(() => undefined);
    await runner.release();
  }
}

/** Drops a version's index (a retired or failed version is never searched again). */
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

/** Whether a version has a usable index (built and valid). */
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
 * embeddings never holds locks or a snapshot for long. Their index is dropped first (deleting
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
