import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { UnauthenticatedError } from '../errors';
import type { Principal } from './principal';
import { isRole } from './role';

export interface AccessTokenSettings {
  secret: string;
  issuer: string;
  ttlSeconds: number;
}

const AUDIENCE = 'docent-api';
const ALGORITHM = 'HS256';

/** Verified tokens remembered per process (FIFO beyond this). */
const VERIFIED_TOKENS = 10_000;

/** Short-lived JWT access tokens (HS256): who the user is, in which organization, with which role. */
export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, by their exact text, until their expiry. Every subgraph verifies
   * the caller's token again on every request (the gateway forwards it), and a subscription's
   * events send the same token over and over: HS256 verification and claim parsing were a tenth
   * of a subgraph's CPU per entity lookup. The answer for one token text only changes with the
   * clock (exp, checked on every use exactly as jose checks it: expired from the second `exp`);
   * an expired token is verified again, so it fails with the same error as ever.
   */
  private readonly verified = new Map<string, Principal>();

  constructor(private readonly settings: AccessTokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  async sign(
    principal: Omit<Principal, 'kind' | 'expiresAt'>,
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.settings.ttlSeconds;
    const token = await new SignJWT({ org: principal.organizationId, role: principal.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (Math.floor(Date.now() / 1000) < known.expiresAt!) return { ...known };
      this.verified.delete(token);
    }
    const principal = await this.verifyOnce(token);
    // Only tokens that end are remembered (this class signs none without exp).
    if (principal.expiresAt !== undefined) {
      this.verified.set(token, principal);
      if (this.verified.size > VERIFIED_TOKENS)
        this.verified.delete(this.verified.keys().next().value!);
    }
    return { ...principal };
  }

  private async verifyOnce(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.settings.issuer,
        audience: AUDIENCE,
        algorithms: [ALGORITHM],
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.org !== 'string' ||
        !isRole(payload.role)
      ) {
        throw new UnauthenticatedError('Access token is missing its claims', {
          requestLevel: true,
        });
      }
      return {
        kind: 'user',
        userId: payload.sub,
        organizationId: payload.org,
        role: payload.role,
        expiresAt: payload.exp,
      };
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('Access token has expired: refresh the session', {
          requestLevel: true,
        });
      if (error instanceof joseErrors.JWSSignatureVerificationFailed)
        throw new UnauthenticatedError('Access token signature is invalid', { requestLevel: true });
      throw new UnauthenticatedError('Access token is malformed or invalid', {
        requestLevel: true,
      });
    }
  }
}
