import { UnauthenticatedError } from '../errors';
import { AccessTokens } from './access-token';
import { Role } from './role';

const settings = { secret: 'a-test-secret-of-at-least-32-characters!', issuer: 'docent' };
const who = { userId: 'u-1', organizationId: 'o-1', role: Role.MEMBER };

afterEach(() => jest.useRealTimers());

it('verifies a token again from memory and still ends it at its expiry', async () => {
  jest.useFakeTimers({
    now: new Date('2026-01-01T00:00:00Z'),
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
  });
  const tokens = new AccessTokens({ ...settings, ttlSeconds: 60 });
  const { token } = await tokens.sign(who);
  const first = await tokens.verify(token);
  expect(first).toEqual({ kind: 'user', ...who, expiresAt: expect.any(Number) });
  // A caller changing its copy does not change what the next request is told.
  first.role = Role.OWNER;
  jest.setSystemTime(new Date('2026-01-01T00:00:59Z'));
  expect((await tokens.verify(token)).role).toBe(Role.MEMBER);
  // From the second of `exp` on, expired, as jose decides it for a token never seen.
  jest.setSystemTime(new Date('2026-01-01T00:01:00Z'));
  await expect(tokens.verify(token)).rejects.toThrow(/expired/);
  const fresh = new AccessTokens({ ...settings, ttlSeconds: 60 });
  await expect(fresh.verify(token)).rejects.toThrow(/expired/);
});

it('never takes a token for one it verified unless it is the same text', async () => {
  const tokens = new AccessTokens({ ...settings, ttlSeconds: 60 });
  const { token } = await tokens.sign(who);
  await tokens.verify(token);
  const [header, payload, signature] = token.split('.');
  const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  await expect(tokens.verify(tampered)).rejects.toThrow(UnauthenticatedError);
  const otherKey = new AccessTokens({
    ...settings,
    secret: `${settings.secret}-other`,
    ttlSeconds: 60,
  });
  await expect(otherKey.verify(token)).rejects.toThrow(/signature/);
});
