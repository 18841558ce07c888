import { createRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  it('are 256-bit base64url strings, stored as their SHA-256', () => {
    const { token, hash } = createRefreshToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(looksLikeRefreshToken(token)).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashRefreshToken(token));
    expect(hash).not.toContain(token);
  });

  it('are never the same twice', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => createRefreshToken().token));
    expect(tokens.size).toBe(100);
  });

  it('refuses what cannot be one', () => {
    expect(looksLikeRefreshToken('')).toBe(false);
    expect(looksLikeRefreshToken('x'.repeat(44))).toBe(false);
    expect(looksLikeRefreshToken(`${'a'.repeat(42)}=`)).toBe(false);
  });
});
