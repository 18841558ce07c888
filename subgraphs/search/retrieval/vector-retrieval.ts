import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { chunkScope } from '../policies/chunk.policy';
import type { QueryEmbedding } from './query-embedder';
import type { RankedChunk, RetrievalFilter } from './retrieval';
import { filterSql, SqlParameters } from './retrieval-filter-sql';

/**
 * pgvector's HNSW candidate list: at least 100 (recall@10 ≥ 0.95 on the bench), and the limit
 * when more is asked. iterative_scan = relaxed_order keeps scanning the graph when the
 * organization, model and filter conditions reject candidates, up to max_scan_tuples.
 */
const EF_SEARCH_MIN = 100;
const EF_SEARCH_MAX = 1_000;
const MAX_SCAN_TUPLES = 50_000;

/**
 * SEMANTIC: the organization's chunks nearest the query embedding by cosine, among chunks
 * embedded by the same model. Should the index scan give up before `limit` rows while more
 * exist (a very narrow filter in a huge table), the same statement runs without the index: an
 * exact scan of the filtered rows, so a filter can never starve the answer.
 */
export class VectorRetrieval {
  constructor(private readonly dataSource: DataSource) {}

  async nearest(
    organizationId: string,
    query: QueryEmbedding,
    limit: number,
    filter?: RetrievalFilter,
    excludeDocumentId?: string,
  ): Promise<RankedChunk[]> {
    if (limit <= 0 || !query.vector.some((v) => v !== 0)) return [];
    return this.dataSource.transaction(async (manager) => {
      const ef = Math.min(EF_SEARCH_MAX, Math.max(EF_SEARCH_MIN, limit));
      await manager.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      await manager.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      await manager.query(`SET LOCAL hnsw.max_scan_tuples = ${MAX_SCAN_TUPLES}`);
      const hits = await this.run(manager, organizationId, query, limit, filter, excludeDocumentId);
      if (hits.length >= limit) return hits;
      await manager.query(`SET LOCAL enable_indexscan = off`);
      return this.run(manager, organizationId, query, limit, filter, excludeDocumentId);
    });
  }

  private async run(
    manager: EntityManager,
    organizationId: string,
    query: QueryEmbedding,
    limit: number,
    filter: RetrievalFilter | undefined,
    excludeDocumentId: string | undefined,
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
    const where = [
      scopeCondition,
      `c.embedding_model = ${parameters.add(query.model)}`,
      ...filters.where,
    ];
    if (excludeDocumentId) where.push(`c.document_id <> ${parameters.add(excludeDocumentId)}`);
    // relaxed_order may return rows slightly out of order: materialize, then sort exactly.
    const rows = await manager.query<
      Array<{ chunk_id: string; document_id: string; distance: number }>
    >(
      `WITH nearest AS MATERIALIZED (
         SELECT c.id AS chunk_id, c.document_id, c.embedding <=> ${vector}::public.vector AS distance
           FROM search.chunks c ${filters.join}
          WHERE ${where.join(' AND ')}
          ORDER BY distance
          LIMIT ${parameters.add(limit)})
       SELECT * FROM nearest ORDER BY distance, chunk_id`,
      parameters.values,
    );
    return rows.map((r) => ({
      chunkId: r.chunk_id,
      documentId: r.document_id,
      score: 1 - Number(r.distance),
    }));
  }
}
