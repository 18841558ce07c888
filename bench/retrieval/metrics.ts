/**
 * nDCG@10, MAP@100 and recall@100 over Cranfield's graded judgments. Codes 1–4 are relevant
 * (binary metrics); nDCG's gain is 5 − code (a complete answer 4, minimum interest 1), with the
 * log2(rank + 1) discount and the ideal ranking from the judgments themselves.
 */
export interface Scores {
  ndcg10: number;
  map100: number;
  recall100: number;
}

export const gain = (code: number | undefined): number =>
  code !== undefined && code >= 1 && code <= 4 ? 5 - code : 0;

export function scoreRanking(ranked: readonly number[], judged: Map<number, number>): Scores {
  const relevant = [...judged.entries()].filter(([, code]) => gain(code) > 0);
  let dcg = 0;
  ranked.slice(0, 10).forEach((doc, i) => (dcg += gain(judged.get(doc)) / Math.log2(i + 2)));
  const ideal = relevant
    .map(([, code]) => gain(code))
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  let hits = 0;
  let precisionSum = 0;
  ranked.slice(0, 100).forEach((doc, i) => {
    if (gain(judged.get(doc)) > 0) {
      hits++;
      precisionSum += hits / (i + 1);
    }
  });
  return {
    ndcg10: ideal > 0 ? dcg / ideal : 0,
    map100: relevant.length > 0 ? precisionSum / relevant.length : 0,
    recall100: relevant.length > 0 ? hits / relevant.length : 0,
  };
}

export function mean(scores: readonly Scores[]): Scores {
  const n = Math.max(1, scores.length);
  return {
    ndcg10: scores.reduce((s, x) => s + x.ndcg10, 0) / n,
    map100: scores.reduce((s, x) => s + x.map100, 0) / n,
    recall100: scores.reduce((s, x) => s + x.recall100, 0) / n,
  };
}
