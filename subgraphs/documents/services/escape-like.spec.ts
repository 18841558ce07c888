import { containsPattern, escapeLike } from './escape-like';

describe('escapeLike', () => {
  it('escapes the wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now');
    expect(escapeLike('plain words')).toBe('plain words');
  });
  it('makes a contains pattern', () => {
    expect(containsPattern('a_b')).toBe('%a\\_b%');
  });
});
