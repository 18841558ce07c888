import {
  DEFAULT_RELEVANCE_MODEL,
  expandQuery,
  feedbackWords,
  type FeedbackChunk,
} from './relevance-model';

const chunk = (score: number, words: Record<string, number>): FeedbackChunk => ({
  score,
  terms: Object.entries(words).map(([lexeme, tf]) => ({ lexeme, tf })),
});
const none = () => false;

describe('RM3 query expansion', () => {
  it('keeps the query at λ and adds the words the feedback chunks share, weighted by P(w|R)', () => {
    const expanded = expandQuery(
      ['wing', 'lift'],
      [
        chunk(10, { wing: 2, lift: 1, slipstream: 1 }),
        chunk(10, { wing: 1, propel: 2, slipstream: 1 }),
      ],
      none,
    );
    const total = [...expanded.values()].reduce((s, x) => s + x, 0);
    expect(total).toBeCloseTo(1, 10);
    // Equal scores: each chunk weighs ½, P(w|d) = tf / |d| with |d| = 4.
    const rm = {
      wing: (2 / 4 + 1 / 4) / 2,
      lift: 1 / 4 / 2,
      slipstream: (1 / 4 + 1 / 4) / 2,
      propel: 2 / 4 / 2,
    };
    expect(expanded.get('wing')).toBeCloseTo(0.5 / 2 + 0.5 * rm.wing, 10);
    expect(expanded.get('lift')).toBeCloseTo(0.5 / 2 + 0.5 * rm.lift, 10);
    expect(expanded.get('slipstream')).toBeCloseTo(0.5 * rm.slipstream, 10);
    expect(expanded.get('propel')).toBeCloseTo(0.5 * rm.propel, 10);
  });

  it('weighs each chunk by exp(score): a chunk one nat behind counts e times less', () => {
    const expanded = expandQuery(
      ['q'],
      [chunk(5, { q: 1, strong: 1 }), chunk(4, { q: 1, weak: 1 })],
      none,
    );
    expect(expanded.get('strong')! / expanded.get('weak')!).toBeCloseTo(Math.E, 6);
  });

  it('leaves out common words, keeps `terms` words, and is deterministic', () => {
    const words = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`w${String(i).padStart(2, '0')}`, 1]),
    );
    const feedback = [chunk(1, { ...words, common: 50 })];
    const isCommon = (lexeme: string) => lexeme === 'common';
    expect(feedbackWords(feedback)[0][0]).toBe('common');
    const expanded = expandQuery(['q'], feedback, isCommon);
    expect(expanded.has('common')).toBe(false);
    // The query word plus DEFAULT_RELEVANCE_MODEL.terms expansion words, ties broken by lexeme.
    expect([...expanded.keys()]).toEqual([
      'q',
      ...Object.keys(words).slice(0, DEFAULT_RELEVANCE_MODEL.terms),
    ]);
    expect(expandQuery(['q'], feedback, isCommon)).toEqual(expanded);
  });

  it('uses only the first `chunks` feedback chunks', () => {
    const feedback = [
      ...Array.from({ length: DEFAULT_RELEVANCE_MODEL.chunks }, () => chunk(3, { near: 1 })),
      chunk(3, { beyond: 1 }),
    ];
    const expanded = expandQuery(['q'], feedback, none);
    expect(expanded.has('near')).toBe(true);
    expect(expanded.has('beyond')).toBe(false);
  });

  it('is the plain query when there is no feedback to learn from', () => {
    expect(expandQuery(['a', 'b', 'a'], [], none)).toEqual(
      new Map([
        ['a', 0.25],
        ['b', 0.25],
      ]),
    );
    expect(expandQuery(['a'], [chunk(1, { x: 1 })], () => true)).toEqual(new Map([['a', 0.5]]));
  });
});
