/**
 * The contract between retrieval (the ranked legs: BM25, the semantic leg and their fusion) and
 * what is built on it (search, ask, askStream, Document.similar). Retrieval returns chunk ids
 * ranked for one organization; the callers load text, highlights and documents.
 */
export type RetrievalMode = 'KEYWORD' | 'SEMANTIC' | 'HYBRID';

/**
 * Narrows retrieval to some documents. Applied inside the ranking SQL (never after a top-k cut),
 * so a narrow filter still gets its `limit` results when enough exist.
 */
export interface RetrievalFilter {
  documentIds?: readonly string[];
  category?: string;
  /** A document must carry every one of these tags. */
  tags?: readonly string[];
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface RetrievalRequest {
  organizationId: string;
  query: string;
  mode: RetrievalMode;
  limit: number;
  filter?: RetrievalFilter;
}

export interface RankedChunk {
  chunkId: string;
  documentId: string;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface Retrieval {
  retrieve(request: RetrievalRequest): Promise<RankedChunk[]>;
  /** Chunks nearest to the given chunk's embedding in its organization, excluding its own document. */
  similarToChunk?(organizationId: string, chunkId: string, limit: number): Promise<RankedChunk[]>;
}
