import { characterCount } from './character-count';

describe('characterCount', () => {
  it('counts code points, as PostgreSQL does', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('abc')).toBe(3);
    expect(characterCount('é€')).toBe(2);
    expect(characterCount('a😀b😀')).toBe(4);
  });
  it('counts a lone surrogate as one character', () => {
    expect(characterCount('\ud83d')).toBe(1);
    expect(characterCount('\ude00\ud83d')).toBe(2);
  });
});
