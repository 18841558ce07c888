import { BM25_B, BM25_K1 } from '../../subgraphs/search/retrieval/bm25/bm25';

/**
 * The reference the harness compares with: plain BM25 (k1 1.2, b 0.75) computed in JavaScript on
 * the raw collection, with a small stop list and a simple suffix-stripping stemmer — nothing of
 * Docent's pipeline, PostgreSQL or its text-search configurations.
 */
const STOP = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves`.split(/\s+/),
);

export function stem(word: string): string {
  for (const [suffix, replacement] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['iveness', 'ive'],
    ['fulness', 'ful'],
    ['ousness', 'ous'],
    ['ements', ''],
    ['ement', ''],
    ['ments', ''],
    ['ment', ''],
    ['ations', 'ate'],
    ['ation', 'ate'],
    ['ities', ''],
    ['ity', ''],
    ['ness', ''],
    ['ings', ''],
    ['ing', ''],
    ['ies', 'y'],
    ['ied', 'y'],
    ['ally', 'al'],
    ['edly', ''],
    ['ly', ''],
    ['ed', ''],
    ['es', ''],
    ['s', ''],
  ] as const)
    if (word.endsWith(suffix) && word.length - suffix.length >= 3)
      return word.slice(0, word.length - suffix.length) + replacement;
  return word;
}

export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((w) => !STOP.has(w) && w.length > 1)
    .map(stem);
}

export class PlainBm25 {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths = new Map<number, number>();
  private readonly averageLength: number;

  constructor(documents: ReadonlyArray<{ id: number; text: string }>) {
    let total = 0;
    for (const { id, text } of documents) {
      const words = terms(text);
      total += words.length;
      this.lengths.set(id, words.length);
      const tf = new Map<string, number>();
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, n] of tf) {
        if (!this.postings.has(w)) this.postings.set(w, []);
        this.postings.get(w)!.push([id, n]);
      }
    }
    this.averageLength = total / Math.max(1, documents.length);
  }

  search(query: string, limit: number): number[] {
    const n = this.lengths.size;
    const scores = new Map<number, number>();
    for (const term of new Set(terms(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [id, tf] of list) {
        const norm = 1 - BM25_B + (BM25_B * this.lengths.get(id)!) / this.averageLength;
        scores.set(id, (scores.get(id) ?? 0) + (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm));
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([id]) => id);
  }
}
