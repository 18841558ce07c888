import { AccessTokens } from '../../../core/auth/access-token';
import { PasswordHasher } from '../services/password-hasher.service';
import { errorCode } from '../../../test/support/graphql-client';
import {
  AccountsHarness,
  PASSWORD,
  SESSION_FIELDS,
  uniqueEmail,
  type TestSession,
} from '../testing/accounts-harness';

const ME = `{ me { user { id email name } organization { id name slug } role } }`;
const REFRESH = `mutation ($token: String!) { refreshSession(refreshToken: $token) { ${SESSION_FIELDS} } }`;
const LOGOUT = `mutation ($token: String!) { logout(refreshToken: $token) }`;
const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`;
const MAX_FAILURES = 3;

describe('accounts: sessions', () => {
  let accounts: AccountsHarness;

  beforeAll(async () => {
    accounts = await AccountsHarness.start({
      LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
    });
  });

  afterAll(async () => {
    await accounts?.stop();
  });

  const refresh = (token: string) =>
    accounts.gql<{ refreshSession: TestSession }>(REFRESH, { token });

  describe('signUp', () => {
    it('creates the organization, its OWNER and a session', async () => {
      const email = uniqueEmail();
      const session = await accounts.signUp({
        email: email.toUpperCase(),
        name: '  Grace Hopper ',
        organizationName: 'Compilers & Co.',
      });
      expect(session.me.user).toEqual({ id: expect.any(String), email, name: 'Grace Hopper' });
      expect(session.me.organization).toMatchObject({
        name: 'Compilers & Co.',
        slug: expect.stringMatching(/^compilers-co(-\d+)?$/),
      });
      expect(session.me.role).toBe('OWNER');
      const expiresIn = Date.parse(session.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(850_000);
      expect(expiresIn).toBeLessThanOrEqual(900_000);

      const me = await accounts.gql(ME, {}, session.accessToken);
      expect(me.data?.me).toEqual(session.me);
      const [membership] = await accounts.sql<{ role: string }>(
        `SELECT role FROM accounts.memberships WHERE organization_id = $1 AND user_id = $2`,
        [session.me.organization.id, session.me.user.id],
      );
      expect(membership.role).toBe('OWNER');
    });

    it('suffixes the slug when the name is taken', async () => {
      const suffix = Math.random().toString(36).slice(2, 8);
      const name = `Slug Clash ${suffix}`;
      const first = await accounts.signUp({ organizationName: name });
      const second = await accounts.signUp({ organizationName: name });
      const third = await accounts.signUp({ organizationName: `SLUG clash ${suffix}!` });
      expect(first.me.organization.slug).toBe(`slug-clash-${suffix}`);
      expect(second.me.organization.slug).toBe(`slug-clash-${suffix}-2`);
      expect(third.me.organization.slug).toBe(`slug-clash-${suffix}-3`);
      expect(third.me.organization.name).toBe(`SLUG clash ${suffix}!`);
    });

    it('refuses an e-mail address that has an account, whatever its case, and creates nothing', async () => {
      const email = uniqueEmail();
      await accounts.signUp({ email });
      const [{ count: before }] = await accounts.sql<{ count: string }>(
        `SELECT count(*) FROM accounts.organizations`,
      );
      const again = await accounts.gql(SIGN_UP, {
        input: {
          email: email.toUpperCase(),
          password: PASSWORD,
          name: 'Twin',
          organizationName: 'Twin Org',
        },
      });
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors?.[0].extensions?.field).toBe('email');
      const [{ count: after }] = await accounts.sql<{ count: string }>(
        `SELECT count(*) FROM accounts.organizations`,
      );
      expect(after).toBe(before);
    });

    it.each([
      ['email', { email: 'not-an-email' }, /valid e-mail/],
      ['email', { email: `${'a'.repeat(250)}@example.com` }, /e-mail|254/],
      ['password', { password: 'Sh0rt!' }, /at least 10 characters/],
      ['password', { password: 'Password123!' }, /too common/],
      ['password', { password: 'alllowercase' }, /mix at least 3/],
      ['password', { password: 'Ab1!'.repeat(60) }, /at most 200/],
      ['name', { name: 'n'.repeat(101) }, /at most 100/],
      ['name', { name: '   ' }, /blank/],
      ['organizationName', { organizationName: 'o'.repeat(101) }, /at most 100/],
      ['organizationName', { organizationName: 'nul\u0000byte' }, /control characters/],
    ])('refuses a bad %s as BAD_USER_INPUT naming the field', async (field, override, message) => {
      const email = uniqueEmail();
      const response = await accounts.gql(SIGN_UP, {
        input: {
          email,
          password: PASSWORD,
          name: 'Valid Name',
          organizationName: 'Valid Org',
          ...override,
        },
      });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.field).toBe(field);
      expect(response.errors?.[0].message).toMatch(message);
      const users = await accounts.sql(`SELECT 1 FROM accounts.users WHERE email = $1`, [email]);
      expect(users).toHaveLength(0);
    });

    it('stores an argon2id hash, never the password', async () => {
      const session = await accounts.signUp();
      const [user] = await accounts.sql<{ password_hash: string }>(
        `SELECT password_hash FROM accounts.users WHERE id = $1`,
        [session.me.user.id],
      );
      expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(user.password_hash).not.toContain(PASSWORD);
    });
  });

  describe('login', () => {
    it('signs in with any case of the address, into the same organization and role', async () => {
      const owner = await accounts.signUp();
      const login = await accounts.login(` ${owner.me.user.email.toUpperCase()} `);
      expect(login.errors).toBeUndefined();
      expect(login.data?.login.me).toEqual(owner.me);
      expect(login.data?.login.refreshToken).not.toBe(owner.refreshToken);
    });

    it('answers a wrong password and an unknown address alike', async () => {
      const owner = await accounts.signUp();
      const wrong = await accounts.login(owner.me.user.email, 'Wrong-Password-1');
      const unknown = await accounts.login(uniqueEmail(), PASSWORD);
      for (const response of [wrong, unknown]) {
        expect(errorCode(response)).toBe('UNAUTHENTICATED');
        expect(response.errors?.[0].message).toBe('Invalid e-mail or password');
        expect(response.data).toBeNull();
      }
    });

    it('spends one password verification on unknown addresses too', async () => {
      // The subgraph runs in this process: count argon2 verifications where they happen.
      const verify = jest.spyOn(PasswordHasher.prototype, 'verify');
      try {
        const owner = await accounts.signUp();
        verify.mockClear();
        await accounts.login(owner.me.user.email, 'Wrong-Password-1');
        expect(verify).toHaveBeenCalledTimes(1);
        verify.mockClear();
        await accounts.login(uniqueEmail(), 'Wrong-Password-1');
        expect(verify).toHaveBeenCalledTimes(1);
        expect(verify.mock.calls[0][0]).toMatch(/^\$argon2id\$/);
      } finally {
        verify.mockRestore();
      }
    });

    it('refuses unusable credentials as BAD_USER_INPUT, not as a server error', async () => {
      for (const [email, password, field] of [
        ['nul\u0000@example.com', PASSWORD, 'email'],
        ['', PASSWORD, 'email'],
        [uniqueEmail(), 'p'.repeat(201), 'password'],
      ]) {
        const response = await accounts.login(email, password);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].extensions?.field).toBe(field);
      }
    });

    it(`rate-limits an address after ${MAX_FAILURES} failures, even with the right password`, async () => {
      const owner = await accounts.signUp();
      for (let i = 0; i < MAX_FAILURES; i += 1) {
        expect(errorCode(await accounts.login(owner.me.user.email, 'Wrong-Password-1'))).toBe(
          'UNAUTHENTICATED',
        );
      }
      const limited = await accounts.login(owner.me.user.email.toUpperCase(), PASSWORD);
      expect(errorCode(limited)).toBe('RATE_LIMITED');
      const retryAfter = limited.errors?.[0].extensions?.retryAfter as number;
      expect(retryAfter).toBeGreaterThan(500);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.errors?.[0].message).toMatch(/try again in \d+ seconds/);
      // Other addresses are not affected.
      const other = await accounts.signUp();
      expect((await accounts.login(other.me.user.email)).errors).toBeUndefined();
    });

    it('forgets the failures of an address once it signs in', async () => {
      const owner = await accounts.signUp();
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < MAX_FAILURES - 1; i += 1)
          await accounts.login(owner.me.user.email, 'Wrong-Password-1');
        expect((await accounts.login(owner.me.user.email)).errors).toBeUndefined();
      }
    });
  });

  describe('access tokens', () => {
    it('refuses anonymous callers', async () => {
      const response = await accounts.gql(ME);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    });

    it('refuses forged, expired and garbled tokens', async () => {
      const owner = await accounts.signUp();
      const claims = {
        userId: owner.me.user.id,
        organizationId: owner.me.organization.id,
        role: 'OWNER' as never,
      };
      const forger = new AccessTokens({
        secret: 'another-secret-that-is-long-enough-0123456789',
        issuer: accounts.config.JWT_ISSUER,
        ttlSeconds: 900,
      });
      const expired = new AccessTokens({
        secret: accounts.config.JWT_SECRET,
        issuer: accounts.config.JWT_ISSUER,
        ttlSeconds: -120,
      });
      const cases: [string, RegExp][] = [
        [(await forger.sign(claims)).token, /signature/],
        [(await expired.sign(claims)).token, /expired/],
        [`${owner.accessToken.slice(0, -4)}AAAA`, /signature|invalid/],
        ['not.a.jwt', /malformed|invalid/],
      ];
      for (const [token, message] of cases) {
        const response = await accounts.gql(ME, {}, token);
        expect(response.status).toBe(401);
        expect(errorCode(response)).toBe('UNAUTHENTICATED');
        expect(response.errors?.[0].message).toMatch(message);
      }
    });
  });

  describe('refreshSession', () => {
    it('rotates: a new refresh token in the same family, a working access token', async () => {
      const owner = await accounts.signUp();
      const rotated = await refresh(owner.refreshToken);
      expect(rotated.errors).toBeUndefined();
      const next = rotated.data!.refreshSession;
      expect(next.refreshToken).not.toBe(owner.refreshToken);
      expect(next.me).toEqual(owner.me);
      expect((await accounts.gql(ME, {}, next.accessToken)).data?.me).toEqual(owner.me);

      const tokens = await accounts.sql<{
        family_id: string;
        token_hash: string;
        rotated_at: Date | null;
      }>(
        `SELECT t.family_id, t.token_hash, t.rotated_at FROM accounts.refresh_tokens t
           JOIN accounts.refresh_token_families f ON f.id = t.family_id
          WHERE f.user_id = $1 ORDER BY t.created_at`,
        [owner.me.user.id],
      );
      expect(tokens).toHaveLength(2);
      expect(tokens[0].family_id).toBe(tokens[1].family_id);
      expect(tokens[0].rotated_at).not.toBeNull();
      expect(tokens[1].rotated_at).toBeNull();
      // Only hashes are stored.
      for (const token of tokens)
        expect([owner.refreshToken, next.refreshToken]).not.toContain(token.token_hash);

      // And it keeps rotating.
      const third = await refresh(next.refreshToken);
      expect(third.errors).toBeUndefined();
    });

    it('revokes the whole family when a rotated token is presented again', async () => {
      const owner = await accounts.signUp();
      const second = (await refresh(owner.refreshToken)).data!.refreshSession;
      const third = (await refresh(second.refreshToken)).data!.refreshSession;

      const replay = await refresh(owner.refreshToken);
      expect(errorCode(replay)).toBe('UNAUTHENTICATED');
      expect(replay.errors?.[0].message).toMatch(/reuse detected/i);

      // The newest token of the family, never presented before, is dead too.
      const newest = await refresh(third.refreshToken);
      expect(errorCode(newest)).toBe('UNAUTHENTICATED');
      expect(newest.errors?.[0].message).toMatch(/revoked/);
      const [family] = await accounts.sql<{ revoked_reason: string; live: string }>(
        `SELECT f.revoked_reason, count(t.id) FILTER (WHERE t.revoked_at IS NULL) AS live
           FROM accounts.refresh_token_families f JOIN accounts.refresh_tokens t ON t.family_id = f.id
          WHERE f.user_id = $1 GROUP BY f.id`,
        [owner.me.user.id],
      );
      expect(family).toEqual({ revoked_reason: 'reuse_detected', live: '0' });
    });

    it('leaves the other sign-ins of the user alone', async () => {
      const owner = await accounts.signUp();
      const laptop = (await accounts.login(owner.me.user.email)).data!.login;
      await refresh(owner.refreshToken);
      expect(errorCode(await refresh(owner.refreshToken))).toBe('UNAUTHENTICATED');
      expect((await refresh(laptop.refreshToken)).errors).toBeUndefined();
    });

    it('lets exactly one of two concurrent exchanges of a token win', async () => {
      const owner = await accounts.signUp();
      const results = await Promise.all([refresh(owner.refreshToken), refresh(owner.refreshToken)]);
      expect(results.filter((r) => r.data?.refreshSession)).toHaveLength(1);
      expect(results.filter((r) => errorCode(r) === 'UNAUTHENTICATED')).toHaveLength(1);
      // The loser counts as reuse: the winner's new token is revoked as well.
      const winner = results.find((r) => r.data?.refreshSession)!.data!.refreshSession;
      expect(errorCode(await refresh(winner.refreshToken))).toBe('UNAUTHENTICATED');
    });

    it('carries the member’s current role', async () => {
      const owner = await accounts.signUp();
      const admin = await accounts.member(owner, 'ADMIN');
      await accounts.sql(`UPDATE accounts.memberships SET role = 'VIEWER' WHERE user_id = $1`, [
        admin.me.user.id,
      ]);
      const refreshed = (await refresh(admin.refreshToken)).data!.refreshSession;
      expect(refreshed.me.role).toBe('VIEWER');
      const me = await accounts.gql<{ me: { role: string } }>(ME, {}, refreshed.accessToken);
      expect(me.data?.me.role).toBe('VIEWER');
    });

    it('refuses expired and unknown tokens as UNAUTHENTICATED, malformed ones as BAD_USER_INPUT', async () => {
      const owner = await accounts.signUp();
      await accounts.sql(
        `UPDATE accounts.refresh_tokens SET expires_at = now() - interval '1 second'
          WHERE family_id IN (SELECT id FROM accounts.refresh_token_families WHERE user_id = $1)`,
        [owner.me.user.id],
      );
      const expired = await refresh(owner.refreshToken);
      expect(errorCode(expired)).toBe('UNAUTHENTICATED');
      expect(expired.errors?.[0].message).toMatch(/expired/);
      const unknown = await refresh('A'.repeat(43));
      expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
      expect(unknown.errors?.[0].message).toMatch(/invalid/);
      for (const token of ['short', '', 'x'.repeat(10_000), `${'A'.repeat(42)}=`]) {
        const response = await refresh(token);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].extensions?.field).toBe('refreshToken');
      }
    });
  });

  describe('logout', () => {
    it('revokes the sign-in: its refresh tokens stop working', async () => {
      const owner = await accounts.signUp();
      const next = (await refresh(owner.refreshToken)).data!.refreshSession;
      const out = await accounts.gql<{ logout: boolean }>(LOGOUT, { token: next.refreshToken });
      expect(out.data?.logout).toBe(true);
      const after = await refresh(next.refreshToken);
      expect(errorCode(after)).toBe('UNAUTHENTICATED');
      expect(after.errors?.[0].message).toMatch(/revoked/);
      const [family] = await accounts.sql<{ revoked_reason: string }>(
        `SELECT revoked_reason FROM accounts.refresh_token_families WHERE user_id = $1`,
        [owner.me.user.id],
      );
      expect(family.revoked_reason).toBe('logout');
    });

    it('is idempotent and answers true for a token it does not know', async () => {
      const owner = await accounts.signUp();
      for (const token of [owner.refreshToken, owner.refreshToken, 'B'.repeat(43), 'garbage']) {
        expect((await accounts.gql<{ logout: boolean }>(LOGOUT, { token })).data?.logout).toBe(
          true,
        );
      }
    });
  });
});
