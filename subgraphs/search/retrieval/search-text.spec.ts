import { parseSearchText } from './search-text';

describe('parseSearchText', () => {
  it('ranks by every word and keeps no conditions for a plain question', () => {
    expect(parseSearchText('what is the lift of a wing?')).toEqual({
      rankingText: 'what is the lift of a wing',
      conditions: null,
    });
  });

  it('reads quoted phrases as required and ranking, -words and -"phrases" as excluded', () => {
    expect(parseSearchText('lease "notice period" -draft -"side letter" high-speed')).toEqual({
      rankingText: 'lease notice period high-speed',
      conditions: '"notice period" -draft -"side letter"',
    });
  });

  it('strips tsquery syntax and survives unbalanced quotes and lone operators', () => {
    const parsed = parseSearchText(`wing & | ! ( ) : * ' "unterminated <-> - --`);
    expect(parsed.rankingText).toBe("wing ' unterminated");
    expect(parsed.conditions).toBeNull();
  });

  it('cuts very long text', () => {
    expect(parseSearchText('word '.repeat(5_000)).rankingText.length).toBeLessThanOrEqual(4_000);
  });
});
