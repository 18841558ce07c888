import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `dk_<prefix>_<secret>`: the prefix (not secret) finds the row, the
 * whole key's SHA-256 is what is stored. Keys carry 256 random bits, so a fast hash is
 * enough (as for GitHub's and Stripe's keys); passwords get argon2id instead.
 */
const KEY_PATTERN = /^dk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `dk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : null;
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith('dk_');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
