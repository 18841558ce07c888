import { exactQuote, resolveMarkers, type ContextChunk } from './answer-citations';
import { answerContext } from './ask.service';
import { highlightHtml } from './highlight';
import { HIGHLIGHT_START as S, HIGHLIGHT_STOP as E } from './load-chunks';

const chunk = (id: string, text: string): ContextChunk => ({
  id,
  documentId: `doc-${id}`,
  index: 0,
  page: null,
  text,
});

describe('exactQuote', () => {
  it('returns the passage as the chunk has it, line breaks included', () => {
    const text = 'The tenant pays\n  a monthly rent. Next sentence.';
    expect(exactQuote(text, 'The tenant pays a monthly rent.')).toBe(
      'The tenant pays\n  a monthly rent.',
    );
  });

  it('is null for a quote the chunk does not contain, and treats regex characters literally', () => {
    expect(exactQuote('Price: 4,000 EUR (net).', 'Price: 4,000 EUR (net).')).toBe(
      'Price: 4,000 EUR (net).',
    );
    expect(exactQuote('Price: 4,000 EUR (net).', 'Price: 4.000 EUR')).toBeNull();
    expect(exactQuote('anything', '   ')).toBeNull();
  });
});

describe('resolveMarkers', () => {
  const context = [
    chunk('a', 'Rent is 4,000 EUR per month. It is paid on the first day.'),
    chunk('b', 'Either party may terminate with three months notice.'),
  ];

  it('maps markers to the numbered context, renumbers them and drops the dangling ones', () => {
    const marked = resolveMarkers(
      'Notice is three months [2]. Rent is 4,000 EUR [1, 7]. Parking is free [9].',
      context,
    );
    expect(marked.text).toBe('Notice is three months [1]. Rent is 4,000 EUR [2]. Parking is free.');
    expect(marked.citations.map((c) => c.chunk.id)).toEqual(['b', 'a']);
    expect(marked.citations[0].quote).toBe('Either party may terminate with three months notice.');
    expect(marked.citations[1].quote).toBe('Rent is 4,000 EUR per month.');
    expect(marked.dropped).toBe(2);
  });

  it('cites nothing when there is no marker, and [0] points at nothing', () => {
    expect(resolveMarkers('Not found in the documents.', context)).toEqual({
      text: 'Not found in the documents.',
      citations: [],
      dropped: 0,
    });
    expect(resolveMarkers('Rent [0].', context)).toMatchObject({ citations: [], dropped: 1 });
  });
});

describe('answerContext', () => {
  const loaded = (id: string, tokenCount: number) => ({
    ...chunk(id, 'x'.repeat(tokenCount * 4)),
    tokenCount,
    headline: null,
  });

  it('keeps the best chunks within the budget, skipping one that does not fit', () => {
    const context = answerContext([loaded('a', 500), loaded('b', 700), loaded('c', 300)], 1_000);
    expect(context.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('always keeps the best chunk, cut to the budget', () => {
    const context = answerContext([loaded('a', 5_000)], 1_000);
    expect(context).toHaveLength(1);
    expect(context[0].text).toHaveLength(4_000);
  });
});

describe('highlightHtml', () => {
  it('escapes the text and marks the matched words', () => {
    expect(highlightHtml(`a <b>&</b> ${S}rent${E} "x"`, 'unused')).toBe(
      'a &lt;b&gt;&amp;&lt;/b&gt; <mark>rent</mark> &quot;x&quot;',
    );
  });

  it('falls back to the chunk’s opening when no word matched', () => {
    const text = `${'word '.repeat(100)}end`;
    const html = highlightHtml(`no markers here`, text);
    expect(html.endsWith(' …')).toBe(true);
    expect(html.length).toBeLessThan(250);
    expect(html).not.toContain('<mark>');
  });
});
