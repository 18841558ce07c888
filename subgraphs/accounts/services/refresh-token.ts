import { createHash, randomBytes } from 'node:crypto';

/** Refresh tokens are 256 random bits, base64url; only their SHA-256 is stored. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Anything else cannot be one of ours: answered without touching the database. */
export function looksLikeRefreshToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
