import { chunkPages, estimateTokens } from './chunk-pages';

const sentence = (i: number): string =>
  `Clause ${i} requires the supplier to deliver the ordered goods within thirty days of the purchase order.`;

function pagesOf(sentencesPerPage: number, pageCount: number) {
  let n = 0;
  return Array.from({ length: pageCount }, (_, p) => ({
    page: p + 1,
    text: Array.from({ length: sentencesPerPage }, () => sentence(++n)).join(' '),
  }));
}

describe('chunkPages', () => {
  it('makes chunks of about 800 tokens that overlap and end at sentence ends', () => {
    const pages = pagesOf(40, 5); // 200 sentences, about 5,000 tokens
    const chunks = chunkPages(pages);
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    expect(chunks.length).toBeLessThanOrEqual(8);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(800);
      expect(chunk.tokenCount).toBeGreaterThan(550);
      expect(chunk.text).toMatch(/\.$/);
      expect(chunk.text).toMatch(/^Clause \d+ /);
    }
    // Overlap: each chunk starts with a sentence the previous chunk ended with.
    for (let i = 1; i < chunks.length; i++) {
      const firstSentence = chunks[i].text.split('. ')[0];
      expect(chunks[i - 1].text).toContain(firstSentence);
    }
    // Nothing is lost: every sentence is in some chunk.
    for (let i = 1; i <= 200; i++)
      expect(chunks.some((c) => c.text.includes(sentence(i)))).toBe(true);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('keeps the page of each chunk’s first word, and skips empty pages', () => {
    const pages = [
      { page: 1, text: 'Cover page of the annual report.' },
      { page: 2, text: '   ' },
      ...pagesOf(40, 3).map((p) => ({ ...p, page: p.page + 2 })),
    ];
    const chunks = chunkPages(pages);
    expect(chunks[0].page).toBe(1);
    expect(chunks[0].text.startsWith('Cover page of the annual report.\n\nClause 1 ')).toBe(true);
    const pageOfSentence = (text: string): number => {
      const n = Number(/^Clause (\d+)/.exec(text)?.[1]);
      return 3 + Math.floor((n - 1) / 40);
    };
    for (const chunk of chunks.slice(1)) expect(chunk.page).toBe(pageOfSentence(chunk.text));
    expect(chunks.at(-1)?.page).toBe(5);
  });

  it('never splits a word, even in text without sentence ends', () => {
    const words = Array.from({ length: 3_000 }, (_, i) => `word${i}`);
    const chunks = chunkPages([{ page: 1, text: words.join(' ') }], {
      targetTokens: 200,
      overlapTokens: 20,
    });
    for (const chunk of chunks) {
      for (const w of chunk.text.split(' ')) expect(w).toMatch(/^word\d+$/);
    }
    expect(new Set(chunks.flatMap((c) => c.text.split(' '))).size).toBe(3_000);
  });

  it('gives one chunk for a short text and none for an empty one', () => {
    expect(chunkPages([{ page: 1, text: 'Payment received, thank you.' }])).toEqual([
      { index: 0, page: 1, text: 'Payment received, thank you.', tokenCount: 6 },
    ]);
    expect(chunkPages([])).toEqual([]);
    expect(chunkPages([{ page: 1, text: ' \n ' }])).toEqual([]);
  });

  it('estimates tokens from word length', () => {
    expect(estimateTokens('the')).toBe(1);
    expect(estimateTokens('agreement,')).toBe(2);
  });
});
