/**
 * Okapi BM25 with the usual parameters (k1 1.2, b 0.75: Robertson & Zaragoza's defaults, and what
 * the plain BM25 of the Cranfield reference figure uses). A "document" for BM25 is a chunk.
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * The stored per-posting part: tf·(k1+1) / (tf + k1·(1−b+b·len/avglen)). Kept in
 * `search.postings.impact` so a query reads each term's best postings first (impact-ordered index).
 */
export function bm25Impact(tf: number, length: number, averageLength: number): number {
  const norm = 1 - BM25_B + BM25_B * (averageLength > 0 ? length / averageLength : 1);
  return (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm);
}

/** The non-negative idf of Lucene's BM25: ln(1 + (N − df + 0.5)/(df + 0.5)). */
export function bm25Idf(chunkCount: number, df: number): number {
  return Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5));
}

/** The same two formulas in SQL, for statements that compute them over many rows. */
export const bm25ImpactSql = (tf: string, length: string, averageLength: string): string =>
  `(${tf} * ${BM25_K1 + 1}) / (${tf} + ${BM25_K1} * (${1 - BM25_B} + ${BM25_B} * ${length} / GREATEST(${averageLength}, 1e-9)))`;

export const bm25IdfSql = (chunkCount: string, df: string): string =>
  `ln(1 + (${chunkCount} - ${df} + 0.5) / (${df} + 0.5))`;

/**
 * When the average chunk length has moved this far from the one the stored impacts were computed
 * with, they are recomputed. At 15 % the length normalization of a typical chunk is off by
 * under 0.1 of its term part (b·Δ), a shift small against the idf spread between terms.
 */
export const IMPACT_DRIFT_LIMIT = 0.15;

export function impactsDrifted(storedAverage: number | null, currentAverage: number): boolean {
  if (storedAverage === null || storedAverage <= 0) return currentAverage > 0;
  return Math.abs(currentAverage - storedAverage) / storedAverage > IMPACT_DRIFT_LIMIT;
}
