import { UnauthenticatedError } from '../errors';
import type { AccessTokens } from './access-token';
import { looksLikeApiKey, parseApiKey } from './api-key-format';
import type { Principal } from './principal';

/** Turns an API key into the principal it acts as, or null when it is unknown or revoked. */
export interface ApiKeyResolver {
  resolve(key: string): Promise<Principal | null>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Verifies an `Authorization` header. No header: anonymous (null). A header that is present
 * but wrong is never treated as anonymous: it fails with UNAUTHENTICATED and says why.
 */
export class CredentialVerifier {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiKeys: ApiKeyResolver,
  ) {}

  async verify(authorization: string | undefined | null): Promise<Principal | null> {
    if (authorization === undefined || authorization === null || authorization === '') return null;
    const match = BEARER.exec(authorization);
    if (!match)
      throw new UnauthenticatedError('Authorization header must be "Bearer <token>"', {
        requestLevel: true,
      });
    const credential = match[1];
    if (looksLikeApiKey(credential)) {
      if (!parseApiKey(credential))
        throw new UnauthenticatedError('API key is malformed', { requestLevel: true });
      const principal = await this.apiKeys.resolve(credential);
      if (!principal)
        throw new UnauthenticatedError('API key is unknown or revoked', { requestLevel: true });
      return principal;
    }
    return this.accessTokens.verify(credential);
  }
}
