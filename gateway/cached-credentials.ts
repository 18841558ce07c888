import type { Principal } from '../core/auth/principal';

export interface Verifier {
  verify(authorization: string | undefined | null): Promise<Principal | null>;
}

const MAX_ENTRIES = 10_000;

/**
 * Remembers verified access tokens (signed JWTs) until they expire, so a client's next request
 * with the same header costs a map lookup instead of an HMAC and a JSON decode: a signed
 * token's verdict changes only with the clock, which is checked on every use. API keys are not
 * kept here: the verifier's own cache holds them only 30 s, which is how long a revocation
 * takes (docs/decisions.md), and failures are never kept (each says why, afresh).
 */
export class CachedCredentialVerifier implements Verifier {
  private readonly tokens = new Map<string, Principal>();

  constructor(private readonly verifier: Verifier) {}

  async verify(authorization: string | undefined | null): Promise<Principal | null> {
    if (!authorization) return this.verifier.verify(authorization);
    const known = this.tokens.get(authorization);
    if (known && known.expiresAt! * 1000 > Date.now()) return known;
    if (known) this.tokens.delete(authorization);
    const principal = await this.verifier.verify(authorization);
    if (principal?.kind === 'user' && principal.expiresAt !== undefined) {
      if (this.tokens.size >= MAX_ENTRIES)
        this.tokens.delete(this.tokens.keys().next().value as string);
      this.tokens.set(authorization, Object.freeze(principal));
    }
    return principal;
  }
}
