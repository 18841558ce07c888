import type { AnswerContextChunk, AnswerDelta } from '../ai-provider';
import { cosine, hashedEmbedding } from './hashed-embedding';
import { sentences, terms } from './text';

/**
 * An extractive answer: the context's sentences that best match the question, each quoted as
 * written and cited to its chunk. A sentence scores the idf-weighted share of the question's
 * terms it contains (idf over the context's sentences) plus a small hashed-vector similarity
 * for near matches; sentences sharing no term with the question are never used. When nothing
 * matches, the answer says so and cites nothing.
 */
export const NOT_FOUND_ANSWER = 'Not found in your documents.';
const MAX_SENTENCES = 3;

export interface ScoredSentence {
  chunkId: string;
  text: string;
  score: number;
  order: number;
}

export function rankSentences(question: string, context: AnswerContextChunk[]): ScoredSentence[] {
  const questionTerms = [...new Set(terms(question))];
  if (questionTerms.length === 0) return [];
  const candidates = context.flatMap((chunk) =>
    sentences(chunk.text).map((s) => ({
      chunkId: chunk.id,
      text: s.text,
      terms: new Set(terms(s.text)),
    })),
  );
  const df = new Map<string, number>();
  for (const c of candidates)
    for (const t of questionTerms) if (c.terms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string): number =>
    Math.log(1 + (candidates.length + 1) / ((df.get(t) ?? 0) + 0.5));
  const total = questionTerms.reduce((sum, t) => sum + idf(t), 0);
  const questionVector = hashedEmbedding(question, 256);
  return candidates
    .map((c, order) => {
      const matched = questionTerms.filter((t) => c.terms.has(t));
      if (matched.length === 0) return null;
      const coverage = matched.reduce((sum, t) => sum + idf(t), 0) / total;
      const near = cosine(questionVector, hashedEmbedding(c.text, 256));
      // Very long sentences are table dumps more often than answers.
      const lengthPenalty = c.terms.size > 60 ? 0.8 : 1;
      return {
        chunkId: c.chunkId,
        text: c.text,
        score: (coverage + 0.3 * near) * lengthPenalty,
        order,
      };
    })
    .filter((s): s is ScoredSentence => s !== null)
    .sort((a, b) => b.score - a.score || a.order - b.order);
}

export async function* extractiveAnswer(
  question: string,
  context: AnswerContextChunk[],
): AsyncIterable<AnswerDelta> {
  const ranked = rankSentences(question, context);
  const best = ranked[0]?.score ?? 0;
  // Keep sentences at least half as good as the best one, in the order the context gives them.
  const chosen = ranked
    .filter((s) => s.score >= Math.max(0.25, best / 2))
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.order - b.order);
  if (chosen.length === 0) {
    yield { text: NOT_FOUND_ANSWER };
    return;
  }
  for (let i = 0; i < chosen.length; i++) {
    const s = chosen[i];
    yield { text: i === 0 ? s.text : ` ${s.text}`, citation: { id: s.chunkId, quote: s.text } };
  }
}
