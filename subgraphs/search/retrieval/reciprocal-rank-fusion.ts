import type { RankedChunk } from './retrieval';

/** Cormack, Clarke & Büttcher (2009): k = 60 damps the head of each list. */
export const RRF_K = 60;

export interface WeightedList {
  hits: readonly RankedChunk[];
  weight: number;
}

/**
 * Weighted reciprocal rank fusion: score(chunk) = Σ weight / (k + rank), rank from 1 in each list
 * where the chunk appears. Ranks, not scores, are fused, so BM25 sums and cosines never need a
 * common scale.
 */
export function reciprocalRankFusion(
  lists: readonly WeightedList[],
  limit: number,
  k = RRF_K,
): RankedChunk[] {
  const fused = new Map<string, RankedChunk>();
  for (const { hits, weight } of lists)
    hits.forEach((hit, index) => {
      const score = weight / (k + index + 1);
      const seen = fused.get(hit.chunkId);
      if (seen) seen.score += score;
      else fused.set(hit.chunkId, { chunkId: hit.chunkId, documentId: hit.documentId, score });
    });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : 1))
    .slice(0, limit);
}
