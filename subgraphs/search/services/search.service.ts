import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import type { Retrieval, RetrievalMode } from '../retrieval/retrieval';
import { parseSearchText } from '../retrieval/search-text';
import { highlightHtml } from './highlight';
import { loadChunks, type LoadedChunk } from './load-chunks';
import { boundedCount, toRetrievalFilter, type SearchFilterInput } from './search-filter';
import { SearchLimits } from './search-limits';

export interface SearchHitResult {
  documentId: string;
  chunk: Pick<LoadedChunk, 'id' | 'index' | 'page' | 'text'>;
  score: number;
  highlight: string;
}

export interface SearchResult {
  hits: SearchHitResult[];
  tookMs: number;
}

export interface SearchInput {
  query: string;
  first?: number | null;
  mode?: RetrievalMode | null;
  filter?: SearchFilterInput | null;
}

/**
 * `search`: the ranked chunks of the caller's organization (retrieval), loaded under the chunk
 * policy with their highlights. A query with no word to search for (empty, only operators or
 * punctuation) has no hits rather than an error; a very long one is cut by the query parser.
 */
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retrieval: Retrieval,
  ) {}

  async execute(principal: Principal, input: SearchInput): Promise<SearchResult> {
    const started = performance.now();
    const first = boundedCount(
      input.first,
      'first',
      SearchLimits.FIRST_DEFAULT,
      SearchLimits.FIRST_MAX,
    );
    const filter = toRetrievalFilter(input.filter);
    const { rankingText } = parseSearchText(input.query);
    if (!rankingText.trim()) return { hits: [], tookMs: elapsed(started) };
    const ranked = await this.retrieval.retrieve({
      organizationId: principal.organizationId,
      query: input.query,
      mode: input.mode ?? 'HYBRID',
      limit: first,
      filter,
    });
    const chunks = await loadChunks(
      this.dataSource,
      principal,
      ranked.map((r) => r.chunkId),
      rankingText,
    );
    const hits = ranked.flatMap((r) => {
      const chunk = chunks.get(r.chunkId);
      if (!chunk) return [];
      return [
        {
          documentId: chunk.documentId,
          chunk: { id: chunk.id, index: chunk.index, page: chunk.page, text: chunk.text },
          score: r.score,
          highlight: highlightHtml(chunk.headline, chunk.text),
        },
      ];
    });
    return { hits, tookMs: elapsed(started) };
  }
}

export function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
