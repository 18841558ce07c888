import type { Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role';
import { CachedCredentialVerifier, type Verifier } from './cached-credentials';

function counting(
  answer: (authorization: string) => Principal | null,
): Verifier & { calls: number } {
  const verifier = {
    calls: 0,
    verify: async (authorization: string | undefined | null) => {
      verifier.calls += 1;
      return authorization ? answer(authorization) : null;
    },
  };
  return verifier;
}

const user = (expiresAt: number): Principal => ({
  kind: 'user',
  userId: 'u',
  organizationId: 'o',
  role: Role.OWNER,
  expiresAt,
});

describe('CachedCredentialVerifier', () => {
  it('verifies an access token once while it is valid, and again once it has expired', async () => {
    let expiresAt = Math.floor(Date.now() / 1000) + 60;
    const inner = counting(() => user(expiresAt));
    const verifier = new CachedCredentialVerifier(inner);
    expect(await verifier.verify('Bearer a')).toMatchObject({ userId: 'u' });
    expect(await verifier.verify('Bearer a')).toMatchObject({ userId: 'u' });
    expect(inner.calls).toBe(1);

    expiresAt = Math.floor(Date.now() / 1000) - 1;
    const expired = new CachedCredentialVerifier(inner);
    await expired.verify('Bearer b');
    await expired.verify('Bearer b');
    expect(inner.calls).toBe(3);
  });

  it('keeps neither API keys (their resolver decides how long) nor failures', async () => {
    const apiKey = counting(() => ({
      ...user(0),
      kind: 'apiKey',
      apiKeyId: 'k',
      expiresAt: undefined,
    }));
    const keys = new CachedCredentialVerifier(apiKey);
    await keys.verify('Bearer dk_x');
    await keys.verify('Bearer dk_x');
    expect(apiKey.calls).toBe(2);

    let calls = 0;
    const failing = new CachedCredentialVerifier({
      verify: async () => {
        calls += 1;
        throw new Error('Access token signature is invalid');
      },
    });
    await expect(failing.verify('Bearer bad')).rejects.toThrow('signature');
    await expect(failing.verify('Bearer bad')).rejects.toThrow('signature');
    expect(calls).toBe(2);
  });
});
