import type { DataSource } from 'typeorm';
import {
  DEFAULT_KEYWORD_OPTIONS,
  KeywordRetrieval,
  type KeywordRetrievalOptions,
} from './bm25/keyword-retrieval';
import { DEFAULT_RELEVANCE_MODEL, type RelevanceModelOptions } from './bm25/relevance-model';
import type { QueryEmbedder } from './query-embedder';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import type { RankedChunk, Retrieval, RetrievalRequest } from './retrieval';
import { VectorRetrieval } from './vector-retrieval';

export interface HybridWeights {
  keyword: number;
  semantic: number;
  /** Hits each leg contributes before fusion (at least the requested limit). */
  depth: number;
  /** RM3 pseudo-relevance feedback on the keyword leg; null ranks it by plain BM25. */
  feedback: RelevanceModelOptions | null;
}

/**
 * By principle rather than tuned per collection (see docs/decisions.md for the Cranfield
 * figures): the legs weigh the same in the fusion (no collection tells which is better), and
 * the keyword leg is expanded by RM3 with its textbook parameters — the words the best BM25
 * chunks share with each other, which lets the keyword leg find relevant chunks that do not
 * repeat the question's own words. KEYWORD mode stays plain BM25: what a user searches words for.
 */
export const DEFAULT_HYBRID_WEIGHTS: HybridWeights = {
  keyword: 1,
  semantic: 1,
  depth: 100,
  feedback: DEFAULT_RELEVANCE_MODEL,
};

/**
 * Retrieval over PostgreSQL: BM25 postings (KEYWORD), pgvector (SEMANTIC: IVFFlat lists for LSA
 * versions, HNSW for the provider's own vectors), fused (HYBRID).
 */
export class PostgresRetrieval implements Retrieval {
  private readonly keyword: KeywordRetrieval;
  private readonly vectors: VectorRetrieval;

  constructor(
    dataSource: DataSource,
    private readonly embedder: QueryEmbedder,
    private readonly options: {
      keyword?: KeywordRetrievalOptions;
      hybrid?: HybridWeights;
    } = {},
  ) {
    this.keyword = new KeywordRetrieval(dataSource, options.keyword ?? DEFAULT_KEYWORD_OPTIONS);
    this.vectors = new VectorRetrieval(dataSource);
  }

  async retrieve(request: RetrievalRequest): Promise<RankedChunk[]> {
    const { organizationId, query, limit, filter } = request;
    if (limit <= 0 || !query.trim()) return [];
    switch (request.mode) {
      case 'KEYWORD':
        return this.keyword.retrieve(organizationId, query, limit, filter);
      case 'SEMANTIC':
        return this.semantic(organizationId, query, limit, request);
      case 'HYBRID': {
        const weights = this.options.hybrid ?? DEFAULT_HYBRID_WEIGHTS;
        const depth = Math.max(limit, weights.depth);
        const [keyword, semantic] = await Promise.all([
          this.keyword.retrieve(
            organizationId,
            query,
            depth,
            filter,
            weights.feedback ?? undefined,
          ),
          this.semantic(organizationId, query, depth, request),
        ]);
        return reciprocalRankFusion(
          [
            { hits: keyword, weight: weights.keyword },
            { hits: semantic, weight: weights.semantic },
          ],
          limit,
        );
      }
      default:
        throw new Error(`Unknown retrieval mode ${String(request.mode)}`);
    }
  }

  async similarToChunk(
    organizationId: string,
    chunkId: string,
    limit: number,
  ): Promise<RankedChunk[]> {
    // LSA vectors are stored per model version: the chunk's vector of the current one.
    const model = await this.embedder.currentModel?.(organizationId);
    const chunk = await this.vectors.chunkEmbedding(organizationId, chunkId, model);
    if (!chunk) return [];
    return this.vectors.nearest(
      organizationId,
      chunk.embedding,
      limit,
      undefined,
      chunk.documentId,
    );
  }

  /**
   * A model switch can land between embedding the query and reading the chunks: then no chunk
   * has the query's model any more. Seen as a short answer while the embedder now names another
   * model, it is embedded again with the new one (once), so search answers through a switch.
   */
  private async semantic(
    organizationId: string,
    query: string,
    limit: number,
    request: RetrievalRequest,
  ): Promise<RankedChunk[]> {
    const embedding = await this.embedder.embed(organizationId, query);
    const hits = await this.vectors.nearest(organizationId, embedding, limit, request.filter);
    if (hits.length >= limit || !this.embedder.currentModel) return hits;
    if ((await this.embedder.currentModel(organizationId)) === embedding.model) return hits;
    const again = await this.embedder.embed(organizationId, query);
    return this.vectors.nearest(organizationId, again, limit, request.filter);
  }
}
