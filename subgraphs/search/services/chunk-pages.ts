/**
 * Cuts a document's pages into overlapping chunks for the index: about `targetTokens` tokens
 * each, `overlapTokens` shared with the previous chunk, ending at a sentence end when one is
 * near, never inside a word. Each chunk keeps the page its first word is on.
 *
 * Tokens are estimated, not counted with a model's tokenizer: a word of n characters counts
 * ⌈n/5⌉ tokens (at least 1), which tracks OpenAI's cl100k counts on English prose within about
 * 15%. Good enough for sizing chunks; nothing bills by it.
 */
export interface PageText {
  /** 1-based. */
  page: number;
  text: string;
}

export interface TextChunk {
  index: number;
  /** The page of the chunk's first word. */
  page: number;
  text: string;
  tokenCount: number;
}

export interface ChunkOptions {
  targetTokens: number;
  overlapTokens: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { targetTokens: 800, overlapTokens: 100 };

interface Word {
  start: number;
  end: number;
  page: number;
  tokens: number;
  /** The word ends a sentence (., !, ? possibly followed by a quote or bracket) or a paragraph. */
  sentenceEnd: boolean;
}

export function estimateTokens(word: string): number {
  return Math.max(1, Math.ceil(word.length / 5));
}

export function chunkPages(
  pages: readonly PageText[],
  options: ChunkOptions = DEFAULT_CHUNKING,
): TextChunk[] {
  if (options.overlapTokens >= options.targetTokens)
    throw new Error('overlapTokens must be smaller than targetTokens');
  // One string for the whole document (pages separated by a blank line), with each word's span.
  let combined = '';
  const words: Word[] = [];
  for (const { page, text } of [...pages].sort((a, b) => a.page - b.page)) {
    if (!/\S/.test(text)) continue;
    if (combined) combined += '\n\n';
    const offset = combined.length;
    combined += text;
    for (const m of text.matchAll(/\S+/g)) {
      const start = offset + m.index;
      const end = start + m[0].length;
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 3);
      words.push({
        start,
        end,
        page,
        tokens: estimateTokens(m[0]),
        sentenceEnd: /[.!?]["'”’)\]]*$/.test(m[0]) || /^[ \t]*\n[ \t]*\n/.test(after),
      });
    }
    // The end of a page ends whatever was open.
    if (words.length) words[words.length - 1].sentenceEnd = true;
  }
  const chunks: TextChunk[] = [];
  let from = 0;
  while (from < words.length) {
    // Grow to the target.
    let to = from;
    let tokens = 0;
    while (to < words.length && tokens + words[to].tokens <= options.targetTokens) {
      tokens += words[to].tokens;
      to++;
    }
    if (to === from) to = from + 1; // a single giant "word" still makes progress
    if (to < words.length) {
      // Prefer to end at a sentence end within the last quarter of the chunk.
      const earliest = from + Math.floor((to - from) * 0.75);
      for (let i = to - 1; i >= earliest; i--) {
        if (words[i].sentenceEnd) {
          to = i + 1;
          break;
        }
      }
    }
    const slice = words.slice(from, to);
    chunks.push({
      index: chunks.length,
      page: slice[0].page,
      text: combined.slice(slice[0].start, slice[slice.length - 1].end),
      tokenCount: slice.reduce((sum, w) => sum + w.tokens, 0),
    });
    if (to >= words.length) break;
    // Step back by the overlap, preferring to restart at a sentence start, always moving forward.
    let next = to;
    let back = 0;
    while (next - 1 > from && back + words[next - 1].tokens <= options.overlapTokens) {
      back += words[next - 1].tokens;
      next--;
    }
    for (let i = next; i < to; i++) {
      if (i > 0 && words[i - 1].sentenceEnd) {
        next = i;
        break;
      }
    }
    from = Math.max(next, from + 1);
  }
  return chunks;
}
