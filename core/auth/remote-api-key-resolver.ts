import type { ApiKeyResolver } from './credential-verifier';
import type { Principal } from './principal';
import { hashApiKey } from './api-key-format';

const POSITIVE_TTL_MS = 30_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolves API keys through the accounts service, which alone reads the keys table.
 * Answers are cached briefly (by the key's hash), so a revoked key stops working
 * everywhere within POSITIVE_TTL_MS.
 */
export class RemoteApiKeyResolver implements ApiKeyResolver {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly verifyUrl: string) {}

  static fromAccountsGraphqlUrl(accountsUrl: string): RemoteApiKeyResolver {
    return new RemoteApiKeyResolver(new URL('/internal/api-keys/verify', accountsUrl).toString());
  }

  async resolve(key: string): Promise<Principal | null> {
    const cacheKey = hashApiKey(key);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.principal;

    const response = await fetch(this.verifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`API key verification failed with HTTP ${response.status}`);
    const body = (await response.json()) as { principal: Principal | null };
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(cacheKey, {
      principal: body.principal,
      until: Date.now() + (body.principal ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS),
    });
    return body.principal;
  }
}
