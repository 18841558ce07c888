import { isStopWord, stem, words } from './text';

/**
 * Hashed word and character n-gram vectors ("feature hashing"): no vocabulary, no training, the
 * same text always gives the same vector. Features and their fixed weights:
 *   - stemmed content words (1.0) and adjacent content-word bigrams (0.5),
 *   - character 3- and 4-grams of each content word with boundary marks (0.25 spread over them),
 *     so that morphological variants and misspellings still meet.
 * Term frequencies are damped (1 + ln tf); each feature lands in one of `dimensions` buckets with
 * a sign from a second hash (which keeps collisions unbiased); the vector is L2-normalized, so
 * cosine similarity is a dot product. Empty text gives the zero vector.
 *
 * This is the weakest retrieval signal the project has (ARCHITECTURE.md): it serves until an
 * organization's own LSA model exists.
 */
export const HASHED_EMBEDDING_MODEL = 'local-hashed-ngrams-v1';

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const CHAR_NGRAM_WEIGHT = 0.25;

/** FNV-1a, 32 bits. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function hashedFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (key: string, weight: number): void => {
    features.set(key, (features.get(key) ?? 0) + weight);
  };
  const content = words(text).filter((w) => !isStopWord(w));
  let previous: string | null = null;
  for (const word of content) {
    const stemmed = stem(word);
    add(`w:${stemmed}`, WORD_WEIGHT);
    if (previous) add(`b:${previous}_${stemmed}`, BIGRAM_WEIGHT);
    previous = stemmed;
    if (/^\d+$/.test(word)) continue;
    const marked = `#${word}#`;
    const grams: string[] = [];
    for (const n of [3, 4])
      for (let i = 0; i + n <= marked.length; i++) grams.push(marked.slice(i, i + n));
    for (const gram of grams) add(`c:${gram}`, CHAR_NGRAM_WEIGHT / Math.sqrt(grams.length));
  }
  return features;
}

export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  for (const [feature, weight] of hashedFeatures(text)) {
    const bucket = fnv1a(feature) % dimensions;
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    // Sub-linear term frequency: a word repeated ten times is not ten times the evidence.
    vector[bucket] += sign * (weight >= 1 ? 1 + Math.log(weight) : weight);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => (norm > 0 ? value / norm : 0));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
