import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { chunkScope } from '../policies/chunk.policy';
import { lsaModelIdOf } from '../semantic/lsa-store';
import {
  lsaIndexedExpression,
  lsaIndexedQuery,
  lsaVersionIndexName,
  readLsaVersionIndex,
  type LsaVersionIndex,
} from '../semantic/lsa-vector-index';
import type { QueryEmbedding } from './query-embedder';
import type { RankedChunk, RetrievalFilter } from './retrieval';
import { filterSql, SqlParameters } from './retrieval-filter-sql';

/**
 * pgvector's HNSW candidate list for the chunks' own vectors (the provider's: hashed before an
 * organization's first LSA model, openai's): at least `efSearch`, and the limit when more is
 * asked. iterative_scan = relaxed_order keeps scanning the graph when the organization, model
 * and filter conditions reject candidates, up to max_scan_tuples.
 */
export const DEFAULT_EF_SEARCH = 200;
/**
 * The candidate list for an LSA version's HNSW graph, which versions trained before IVFFlat
 * (semantic/lsa-vector-index.ts) still have: pgvector's largest (recall@10 0.92–0.96 at 100,472
 * chunks; their next training replaces the graph with lists).
 */
export const LSA_EF_SEARCH = 1_000;
const EF_SEARCH_MAX = 1_000;
/** Candidates read from a half-precision index per result, re-ranked by the exact distance. */
const RERANK_FACTOR = 2;
const MAX_SCAN_TUPLES = 50_000;

/** The bench's recall curve: candidate settings instead of the product's. */
export interface VectorSearchOverride {
  /** hnsw.ef_search for HNSW graphs. */
  efSearch?: number;
  /** ivfflat.probes for an LSA version's lists. */
  probes?: number;
}

/**
 * The index settings each pooled connection was last given, by connection: they are set at
 * session level once per connection (and again only when they change), not in a transaction per
 * search — BEGIN, set_config and COMMIT were three of a SEMANTIC search's seven round trips.
 * They only steer pgvector index scans, which nothing but this class runs on search's connections.
 */
const sessionSettings = new WeakMap<object, string>();

/** What a search of an LSA version needs to know of it (fixed once the version is current). */
interface LsaVersion extends LsaVersionIndex {
  dimensions: number;
}

/** Per data source (test databases reuse model ids): a version's row, read once per process. */
const lsaVersions = new WeakMap<DataSource, Map<string, LsaVersion>>();

/**
 * SEMANTIC: the organization's chunks nearest the query embedding by cosine, among chunks
 * embedded by the same model. Should the index scan give up before `limit` rows while more
 * exist (a very narrow filter in a huge table), the same statement runs without the index: an
 * exact scan of the filtered rows, so a filter can never starve the answer.
 */
export class VectorRetrieval {
  /** `override` replaces the indexes' candidate settings (the bench's recall curve). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly override: VectorSearchOverride = {},
    private readonly maxScanTuples = MAX_SCAN_TUPLES,
  ) {}

  async nearest(
    organizationId: string,
    query: QueryEmbedding,
    limit: number,
    filter?: RetrievalFilter,
    excludeDocumentId?: string,
  ): Promise<RankedChunk[]> {
    if (limit <= 0 || !query.vector.some((v) => v !== 0)) return [];
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as object;
      const lsaModelId = lsaModelIdOf(query.model);
      const version = lsaModelId ? await this.lsaVersion(runner.manager, lsaModelId) : null;
      const graph = version?.index === 'halfvec' || version?.index === 'vector';
      const efSearch = this.override.efSearch ?? (graph ? LSA_EF_SEARCH : DEFAULT_EF_SEARCH);
      const ef = Math.min(EF_SEARCH_MAX, Math.max(efSearch, limit));
      const probes = this.override.probes ?? version?.probes ?? 1;
      const settings = `${ef}/${probes}/${this.maxScanTuples}`;
      if (sessionSettings.get(connection) !== settings) {
        // Forgotten first: a failure must not leave the connection marked as set.
        sessionSettings.delete(connection);
        await runner.query(
          `SELECT set_config('hnsw.ef_search', $1, false), set_config('hnsw.iterative_scan', 'relaxed_order', false),
                  set_config('hnsw.max_scan_tuples', $2, false),
                  set_config('ivfflat.probes', $3, false), set_config('ivfflat.iterative_scan', 'relaxed_order', false)`,
          [String(ef), String(this.maxScanTuples), String(probes)],
        );
        sessionSettings.set(connection, settings);
      }
      const args = [organizationId, query, limit, filter, excludeDocumentId] as const;
      const hits = await this.run(runner.manager, ...args, version, false);
      if (hits.length >= limit) return hits;
      // The exact scan, its planner setting local to one transaction.
      await runner.startTransaction();
      try {
        await runner.query(`SET LOCAL enable_indexscan = off`);
        const exact = await this.run(runner.manager, ...args, version, true);
        await runner.commitTransaction();
        return exact;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * A chunk's own embedding as a query (Document.similar): its vector of the given model when
   * that is an LSA version (the organization's current one), else the chunk's own vector.
   */
  async chunkEmbedding(
    organizationId: string,
    chunkId: string,
    model?: string,
  ): Promise<{ embedding: QueryEmbedding; documentId: string } | null> {
    const lsaModelId = model ? lsaModelIdOf(model) : null;
    const [row] = await this.dataSource.query<
      Array<{ embedding: string; embedding_model: string; document_id: string }>
    >(
      lsaModelId
        ? `SELECT e.embedding::text AS embedding, $3::text AS embedding_model, c.document_id
             FROM search.chunks c JOIN search.lsa_embeddings e ON e.chunk_id = c.id AND e.model_id = $4
            WHERE c.organization_id = $1 AND c.id = $2`
        : `SELECT embedding::text AS embedding, embedding_model, document_id FROM search.chunks
            WHERE organization_id = $1 AND id = $2`,
      lsaModelId ? [organizationId, chunkId, model, lsaModelId] : [organizationId, chunkId],
    );
    if (!row) return null;
    return {
      embedding: { model: row.embedding_model, vector: JSON.parse(row.embedding) as number[] },
      documentId: row.document_id,
    };
  }

  /** The version's dimensions and its index: one read per version and process. */
  private async lsaVersion(manager: EntityManager, modelId: string): Promise<LsaVersion | null> {
    let versions = lsaVersions.get(this.dataSource);
    if (!versions) lsaVersions.set(this.dataSource, (versions = new Map()));
    const known = versions.get(modelId);
    if (known) return known;
    const [row] = await manager.query<Array<{ dimensions: number; definition: string | null }>>(
      `SELECT m.dimensions, (
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                 WHERE i.indrelid = 'search.lsa_embeddings'::regclass AND ic.relname = $2 AND i.indisvalid) AS definition
         FROM search.lsa_models m WHERE m.id = $1 AND m.status = 'current'`,
      [modelId, lsaVersionIndexName(modelId)],
    );
    // Only a current version is remembered: its index is built before it becomes current.
    if (!row) return null;
    const version: LsaVersion = {
      dimensions: row.dimensions,
      ...readLsaVersionIndex(row.definition),
    };
    versions.set(modelId, version);
    return version;
  }

  private async run(
    manager: EntityManager,
    organizationId: string,
    query: QueryEmbedding,
    limit: number,
    filter: RetrievalFilter | undefined,
    excludeDocumentId: string | undefined,
    version: LsaVersion | null,
    exact: boolean,
  ): Promise<RankedChunk[]> {
    const parameters = new SqlParameters();
    const scope = chunkScope({ organizationId } as Principal, 'c');
    const [scopeSql, scopeValues] = this.dataSource.driver.escapeQueryWithParameters(
      scope.condition,
      scope.parameters,
      {},
    );
    const scopeCondition = scopeSql.replace(/\$(\d+)/g, (_, n: string) =>
      parameters.add(scopeValues[Number(n) - 1]),
    );
    const vector = parameters.add(`[${query.vector.join(',')}]`);
    const filters = filterSql(filter, 'c', parameters);
    // An LSA version's vectors are its rows of search.lsa_embeddings, searched through its own
    // partial index (lists, or an older version's graph): the id is spliced in (digits only) so
    // the planner can match the index's predicate. Other models' vectors are the chunks' own.
    const lsaModelId = lsaModelIdOf(query.model);
    const source = lsaModelId
      ? `search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id`
      : `search.chunks c`;
    const embedding = lsaModelId ? 'e.embedding' : 'c.embedding';
    const where = [
      scopeCondition,
      lsaModelId
        ? `e.model_id = ${lsaModelId}`
        : `c.embedding_model = ${parameters.add(query.model)}`,
      ...filters.where,
    ];
    if (excludeDocumentId) where.push(`c.document_id <> ${parameters.add(excludeDocumentId)}`);
    // A version's index holds its own dimensions in half precision: its candidates come in
    // that order (the index's expression), twice as many as asked (half precision cannot tell
    // near-ties apart: pgvector's re-ranking of quantized indexes), and the stored vectors'
    // exact distance ranks them below. The extra rows come from the lists or the graph's
    // candidates already read. An older version's full-precision graph is walked in the exact
    // distance's own order.
    const halfPrecision = (version?.index === 'ivfflat' || version?.index === 'halfvec') && !exact;
    const order = halfPrecision
      ? `${lsaIndexedExpression('e', version!.dimensions)} <=> ${lsaIndexedQuery(vector, version!.dimensions)}`
      : 'distance';
    const candidates = halfPrecision ? limit * RERANK_FACTOR : limit;
    // relaxed_order may return rows slightly out of order: materialize, then sort exactly.
    const rows = await manager.query<
      Array<{ chunk_id: string; document_id: string; distance: number }>
    >(
      `WITH nearest AS MATERIALIZED (
         SELECT c.id AS chunk_id, c.document_id, ${embedding} <=> ${vector}::public.vector AS distance
           FROM ${source} ${filters.join}
          WHERE ${where.join(' AND ')}
          ORDER BY ${order}
          LIMIT ${parameters.add(candidates)})
       SELECT * FROM nearest ORDER BY distance, chunk_id LIMIT ${parameters.add(limit)}`,
      parameters.values,
    );
    return rows.map((r) => ({
      chunkId: r.chunk_id,
      documentId: r.document_id,
      score: 1 - Number(r.distance),
    }));
  }
}
