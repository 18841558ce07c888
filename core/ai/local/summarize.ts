import { sentences, terms } from './text';

/**
 * Extractive summary by sentence centrality (TextRank, Mihalcea & Tarau 2004): sentences are
 * nodes, edges weigh the cosine similarity of their tf·idf term vectors (idf within the
 * document), PageRank finds the sentences most of the document agrees with. A mild lead prior
 * favours the opening, as business documents state their purpose first. The chosen sentences are
 * returned in their original order.
 */
const MAX_SENTENCES = 400;
const DAMPING = 0.85;
const ITERATIONS = 40;

export function summaryLength(sentenceCount: number): number {
  if (sentenceCount <= 3) return sentenceCount;
  return Math.min(5, Math.max(2, Math.round(Math.sqrt(sentenceCount) / 1.5)));
}

export function summarizeText(text: string, maxChars = 1_200): string {
  const all = sentences(text)
    // Headings, table rows and signature lines are not summary material.
    .filter((s) => s.text.split(/\s+/).length >= 5 && /[\p{Ll}]/u.test(s.text))
    .slice(0, MAX_SENTENCES);
  if (all.length === 0) return text.trim().replace(/\s+/g, ' ').slice(0, maxChars);
  const want = summaryLength(all.length);
  if (all.length <= want)
    return clip(
      all.map((s) => s.text),
      maxChars,
    );

  const termLists = all.map((s) => terms(s.text));
  const df = new Map<string, number>();
  for (const list of termLists) for (const t of new Set(list)) df.set(t, (df.get(t) ?? 0) + 1);
  const vectors = termLists.map((list) => {
    const tf = new Map<string, number>();
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [t, n] of tf) {
      const w = (1 + Math.log(n)) * Math.log(1 + all.length / (df.get(t) ?? 1));
      vector.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of vector) vector.set(t, w / norm);
    return vector;
  });

  const n = all.length;
  const weights: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const [small, large] =
        vectors[i].size < vectors[j].size ? [vectors[i], vectors[j]] : [vectors[j], vectors[i]];
      for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
      weights[i][j] = weights[j][i] = dot;
    }
  const outSum = weights.map((row) => row.reduce((a, b) => a + b, 0));
  // Personalized PageRank: the teleport vector leans towards the opening sentences.
  const prior = all.map((_, i) => 1 / (1 + i / 10));
  const priorSum = prior.reduce((a, b) => a + b, 0);
  const teleport = prior.map((p) => p / priorSum);
  let rank = teleport.slice();
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = teleport.map((t) => (1 - DAMPING) * t);
    for (let j = 0; j < n; j++) {
      if (outSum[j] === 0) {
        for (let i = 0; i < n; i++) next[i] += DAMPING * rank[j] * teleport[i];
        continue;
      }
      for (let i = 0; i < n; i++)
        if (weights[j][i] > 0) next[i] += (DAMPING * rank[j] * weights[j][i]) / outSum[j];
    }
    rank = next;
  }
  const chosen = rank
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, want)
    .sort((a, b) => a.index - b.index);
  return clip(
    chosen.map(({ index }) => all[index].text),
    maxChars,
  );
}

function clip(parts: string[], maxChars: number): string {
  let out = '';
  for (const part of parts) {
    if (out && out.length + part.length + 1 > maxChars) break;
    out = out ? `${out} ${part}` : part;
  }
  return out.length > maxChars ? `${out.slice(0, maxChars - 1).trimEnd()}…` : out;
}
