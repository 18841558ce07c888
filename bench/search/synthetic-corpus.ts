import { mulberry32 } from '../../core/random/mulberry32';

/**
 * A deterministic synthetic corpus with topical structure: made-up words (so no query
 * accidentally matches real text better than intended) drawn with Zipf frequencies, as natural
 * text has them, in sentences of 8–16 words. Each document belongs to one of `topics` topics,
 * and half its words come from its topic's own Zipf ranking of the vocabulary (a rotation of the
 * general one, as bench/retrieval/lsa-training.ts's): words that co-occur within a topic are what
 * LSA learns, so the semantic leg and the HNSW graph work on vectors with neighbourhoods, as on
 * real text — not on hashed vectors of unrelated words.
 *
 * Queries draw 1–4 words of one topic (mostly its own words, some general ones), skipping the
 * 50 most frequent (the corpus's "stop words"); questions take words of one chunk-sized window of
 * a document.
 */
export interface SyntheticCorpus {
  /** The text of document `n`, about `tokens` words long. */
  document(n: number, tokens: number): string;
  query(i: number): string;
  question(i: number): string;
}

const SYLLABLES =
  'ka lo mi ra tu se ve no pi da re zu fo ga li mo ne sa ti bo ku ze ha ja wo xi yu qe'.split(' ');

export function createCorpus(vocabularySize: number, seed: number, topics = 100): SyntheticCorpus {
  const random = mulberry32(seed);
  const words = new Set<string>();
  while (words.size < vocabularySize) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  const vocabulary = [...words];
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= vocabulary.length; r++) cumulative.push((sum += 1 / r));
  const rank = (rnd: () => number, from: number): number => {
    const low = from > 0 ? cumulative[from - 1] : 0;
    const x = low + rnd() * (sum - low);
    let lo = from;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const size = vocabulary.length;
  const stride = Math.floor(size / topics);
  /** A general word (topic < 0) or one of the topic's, by its Zipf rank. */
  const draw = (rnd: () => number, topic: number, from = 0): string => {
    const r = rank(rnd, from);
    return vocabulary[topic < 0 ? r : (r * 37 + topic * stride) % size];
  };
  const sentence = (rnd: () => number, topic: number): string => {
    const n = 8 + Math.floor(rnd() * 9);
    const ws = Array.from({ length: n }, () => draw(rnd, rnd() < 0.5 ? topic : -1));
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    return `${ws.join(' ')}.`;
  };
  const document = (n: number, tokens: number): string => {
    const rnd = mulberry32(seed * 1_000_003 + n);
    const topic = n % topics;
    const out: string[] = [];
    let count = 0;
    while (count < tokens) {
      const s = sentence(rnd, topic);
      count += s.split(' ').length;
      out.push(s);
    }
    return out.join(' ');
  };
  return {
    document,
    query: (i) => {
      const rnd = mulberry32(seed * 7_919 + i);
      const n = 1 + Math.floor(rnd() * 4);
      const topic = i % topics;
      return Array.from({ length: n }, () => draw(rnd, rnd() < 0.75 ? topic : -1, 50)).join(' ');
    },
    question: (i) => {
      const rnd = mulberry32(seed * 104_729 + i);
      const text = document(Math.floor(rnd() * 1_000), 120);
      const ws = text.toLowerCase().replace(/\./g, '').split(' ');
      const start = Math.floor(rnd() * Math.max(1, ws.length - 12));
      return `What about ${ws.slice(start, start + 5).join(' ')}?`;
    },
  };
}
