/**
 * Pseudo-relevance feedback for the BM25 leg: RM3 (Lavrenko & Croft 2001's relevance model,
 * interpolated with the query as in Abdul-Jaleel et al. 2004, "UMass at TREC 2004"). The top
 * chunks of a first BM25 pass stand in for the relevant ones; the words they share, weighted by
 * how strongly each chunk matched, are added to the query, and BM25 runs again.
 *
 *   P(w|R) ∝ Σ_d P(w|d) · P(q|d),  P(w|d) = tf(w,d) / |d|,  P(q|d) ∝ exp(bm25(q,d))
 *   q'(w)  = λ · q(w) + (1 − λ) · P(w|R)   over the top `terms` words of P(w|R)
 *
 * BM25 is read as a log-likelihood ratio (its Robertson–Spärck Jones derivation), so exp turns
 * the first pass's scores into the relative likelihoods the model weights chunks by.
 */
export interface RelevanceModelOptions {
  /** Feedback chunks: the first pass's top ones. */
  chunks: number;
  /** Expansion words kept. */
  terms: number;
  /** λ, the original query's share of the expanded query's weight. */
  originalWeight: number;
  /**
   * Words in more than this share of the organization's chunks are not added (Anserini's rule,
   * there 10 %): they carry no topic, and a `simple` configuration keeps stop words.
   */
  maxDocumentFrequencyShare: number;
}

/** The usual defaults (Anserini's and Pyserini's RM3: 10 documents, 10 terms, λ = 0.5). */
export const DEFAULT_RELEVANCE_MODEL: RelevanceModelOptions = {
  chunks: 10,
  terms: 10,
  originalWeight: 0.5,
  maxDocumentFrequencyShare: 0.1,
};

export interface FeedbackChunk {
  /** The first pass's BM25 score. */
  score: number;
  /** Every lexeme of the chunk with its term frequency. */
  terms: ReadonlyArray<{ lexeme: string; tf: number }>;
}

/**
 * Σ_d P(w|d) · P(q|d) for every word of the top `chunks` feedback chunks, best first (ties by
 * lexeme, so the same feedback always gives the same model).
 */
export function feedbackWords(
  feedback: readonly FeedbackChunk[],
  options: RelevanceModelOptions = DEFAULT_RELEVANCE_MODEL,
): Array<[string, number]> {
  const top = feedback.slice(0, options.chunks);
  if (top.length === 0) return [];
  // Softmax of the scores, shifted by the best one so that exp never overflows.
  const best = Math.max(...top.map((c) => c.score));
  const likelihoods = top.map((c) => Math.exp(c.score - best));
  const total = likelihoods.reduce((sum, x) => sum + x, 0);
  const weights = new Map<string, number>();
  top.forEach((chunk, i) => {
    const length = chunk.terms.reduce((sum, t) => sum + t.tf, 0);
    if (length === 0) return;
    for (const { lexeme, tf } of chunk.terms)
      weights.set(lexeme, (weights.get(lexeme) ?? 0) + (tf / length) * (likelihoods[i] / total));
  });
  return [...weights.entries()].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
}

/**
 * P(w|R): the first `terms` words that are not common (in more than maxDocumentFrequencyShare
 * of the chunks), summing to 1; empty when none is left.
 */
export function relevanceModel(
  words: ReadonlyArray<[string, number]>,
  isCommon: (lexeme: string) => boolean,
  options: RelevanceModelOptions = DEFAULT_RELEVANCE_MODEL,
): Map<string, number> {
  const kept = words.filter(([lexeme]) => !isCommon(lexeme)).slice(0, options.terms);
  const mass = kept.reduce((sum, [, p]) => sum + p, 0);
  return mass > 0 ? new Map(kept.map(([lexeme, p]) => [lexeme, p / mass])) : new Map();
}

/**
 * The expanded query as lexeme → weight: λ/|q| for each of the query's lexemes plus
 * (1 − λ) · P(w|R) for the relevance model's words.
 */
export function expandQuery(
  queryLexemes: readonly string[],
  feedback: readonly FeedbackChunk[],
  isCommon: (lexeme: string) => boolean,
  options: RelevanceModelOptions = DEFAULT_RELEVANCE_MODEL,
): Map<string, number> {
  const query = [...new Set(queryLexemes)];
  const expanded = new Map(query.map((lexeme) => [lexeme, options.originalWeight / query.length]));
  if (query.length === 0) return expanded;
  const model = relevanceModel(feedbackWords(feedback, options), isCommon, options);
  for (const [lexeme, p] of model)
    expanded.set(lexeme, (expanded.get(lexeme) ?? 0) + (1 - options.originalWeight) * p);
  return expanded;
}
