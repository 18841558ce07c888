import { errorCode } from '../../../test/support/graphql-client';
import { AccountsHarness, type TestSession } from '../testing/accounts-harness';

const CREATE = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id name role prefix createdAt lastUsedAt } secret }
}`;
const LIST = `{ apiKeys { id name role prefix createdAt lastUsedAt } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) }`;
const ME = `{ me { user { id } organization { id } role } }`;

interface Created {
  apiKey: {
    id: string;
    name: string;
    role: string;
    prefix: string;
    createdAt: string;
    lastUsedAt: string | null;
  };
  secret: string;
}

describe('accounts: API keys', () => {
  let accounts: AccountsHarness;

  beforeAll(async () => {
    accounts = await AccountsHarness.start();
  });

  afterAll(async () => {
    await accounts?.stop();
  });

  const create = (caller: TestSession | string, input: { name: string; role: string }) =>
    accounts.gql<{ createApiKey: Created }>(
      CREATE,
      { input },
      typeof caller === 'string' ? caller : caller.accessToken,
    );

  const verify = (body: unknown, method = 'POST') =>
    fetch(`${accounts.origin}/internal/api-keys/verify`, {
      method,
      headers: { 'content-type': 'application/json' },
      body:
        method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    });

  it('creates a key whose secret is shown once and that acts for its creator with its own role', async () => {
    const owner = await accounts.signUp();
    const created = await create(owner, { name: ' CI pipeline ', role: 'MEMBER' });
    expect(created.errors).toBeUndefined();
    const { apiKey, secret } = created.data!.createApiKey;
    expect(apiKey).toMatchObject({ name: 'CI pipeline', role: 'MEMBER', lastUsedAt: null });
    expect(secret).toMatch(new RegExp(`^dk_${apiKey.prefix}_[A-Za-z0-9_-]{43}$`));

    const [row] = await accounts.sql<Record<string, string>>(
      `SELECT * FROM accounts.api_keys WHERE id = $1`,
      [apiKey.id],
    );
    expect(JSON.stringify(row)).not.toContain(secret.slice(`dk_${apiKey.prefix}_`.length));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const me = await accounts.gql<{
      me: { user: { id: string }; organization: { id: string }; role: string };
    }>(ME, {}, secret);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({
      user: { id: owner.me.user.id },
      organization: { id: owner.me.organization.id },
      role: 'MEMBER',
    });

    const listed = await accounts.gql<{ apiKeys: Created['apiKey'][] }>(
      LIST,
      {},
      owner.accessToken,
    );
    expect(listed.data?.apiKeys).toEqual([{ ...apiKey, lastUsedAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const owner = await accounts.signUp();
    const { apiKey, secret } = (await create(owner, { name: 'reporting', role: 'VIEWER' })).data!
      .createApiKey;
    await accounts.gql(ME, {}, secret);
    const [first] = await accounts.sql<{ last_used_at: Date }>(
      `SELECT last_used_at FROM accounts.api_keys WHERE id = $1`,
      [apiKey.id],
    );
    expect(first.last_used_at).toBeInstanceOf(Date);
    expect(Date.now() - first.last_used_at.getTime()).toBeLessThan(10_000);

    await accounts.gql(ME, {}, secret);
    const [second] = await accounts.sql<{ last_used_at: Date }>(
      `SELECT last_used_at FROM accounts.api_keys WHERE id = $1`,
      [apiKey.id],
    );
    expect(second.last_used_at.getTime()).toBe(first.last_used_at.getTime());
  });

  it('stops a revoked key at once, and revoking again answers true', async () => {
    const owner = await accounts.signUp();
    const { apiKey, secret } = (await create(owner, { name: 'temp', role: 'ADMIN' })).data!
      .createApiKey;
    expect((await accounts.gql(ME, {}, secret)).errors).toBeUndefined();

    expect(
      (await accounts.gql<{ revokeApiKey: boolean }>(REVOKE, { id: apiKey.id }, owner.accessToken))
        .data?.revokeApiKey,
    ).toBe(true);
    const after = await accounts.gql(ME, {}, secret);
    expect(after.status).toBe(401);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    expect(after.errors?.[0].message).toMatch(/unknown or revoked/);
    expect(
      (await accounts.gql<{ revokeApiKey: boolean }>(REVOKE, { id: apiKey.id }, owner.accessToken))
        .data?.revokeApiKey,
    ).toBe(true);
    expect(
      (await accounts.gql<{ apiKeys: unknown[] }>(LIST, {}, owner.accessToken)).data?.apiKeys,
    ).toEqual([]);
  });

  it('refuses a key with a role above its creator, and MEMBERs creating keys', async () => {
    const owner = await accounts.signUp();
    const admin = await accounts.member(owner, 'ADMIN');
    const member = await accounts.member(owner, 'MEMBER');
    const tooHigh = await create(admin, { name: 'escalate', role: 'OWNER' });
    expect(errorCode(tooHigh)).toBe('FORBIDDEN');
    expect(tooHigh.errors?.[0].message).toMatch(/above your own/);
    expect(
      (await create(admin, { name: 'ok', role: 'ADMIN' })).data?.createApiKey.apiKey.role,
    ).toBe('ADMIN');
    expect(errorCode(await create(member, { name: 'nope', role: 'VIEWER' }))).toBe('FORBIDDEN');
    expect(errorCode(await accounts.gql(LIST, {}, member.accessToken))).toBe('FORBIDDEN');
  });

  it('refuses API keys minting or revoking credentials, whatever their role', async () => {
    const owner = await accounts.signUp();
    const { apiKey, secret } = (await create(owner, { name: 'root', role: 'OWNER' })).data!
      .createApiKey;
    const minted = await create(secret, { name: 'child', role: 'VIEWER' });
    expect(errorCode(minted)).toBe('FORBIDDEN');
    expect(minted.errors?.[0].message).toMatch(/API key/);
    expect(errorCode(await accounts.gql(REVOKE, { id: apiKey.id }, secret))).toBe('FORBIDDEN');
    // Reading the list is allowed to ADMIN keys and above.
    expect(
      (await accounts.gql<{ apiKeys: unknown[] }>(LIST, {}, secret)).data?.apiKeys,
    ).toHaveLength(1);
  });

  it('keeps organizations apart: another organization’s key is NOT_FOUND, a bad id BAD_USER_INPUT', async () => {
    const owner = await accounts.signUp();
    const stranger = await accounts.signUp();
    const { apiKey, secret } = (await create(owner, { name: 'mine', role: 'VIEWER' })).data!
      .createApiKey;
    expect(errorCode(await accounts.gql(REVOKE, { id: apiKey.id }, stranger.accessToken))).toBe(
      'NOT_FOUND',
    );
    expect(
      (await accounts.gql<{ apiKeys: unknown[] }>(LIST, {}, stranger.accessToken)).data?.apiKeys,
    ).toEqual([]);
    expect((await accounts.gql(ME, {}, secret)).errors).toBeUndefined();

    const bad = await accounts.gql(REVOKE, { id: 'not-a-uuid' }, owner.accessToken);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('id');
    expect(
      errorCode(
        await accounts.gql(
          REVOKE,
          { id: '00000000-0000-4000-8000-000000000000' },
          owner.accessToken,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('lets an ADMIN revoke keys up to their own role only', async () => {
    const owner = await accounts.signUp();
    const admin = await accounts.member(owner, 'ADMIN');
    const ownerKey = (await create(owner, { name: 'owner key', role: 'OWNER' })).data!.createApiKey
      .apiKey;
    const adminKey = (await create(owner, { name: 'admin key', role: 'ADMIN' })).data!.createApiKey
      .apiKey;
    expect(errorCode(await accounts.gql(REVOKE, { id: ownerKey.id }, admin.accessToken))).toBe(
      'FORBIDDEN',
    );
    expect(
      (
        await accounts.gql<{ revokeApiKey: boolean }>(
          REVOKE,
          { id: adminKey.id },
          admin.accessToken,
        )
      ).data?.revokeApiKey,
    ).toBe(true);
  });

  it('validates the input', async () => {
    const owner = await accounts.signUp();
    for (const name of ['', '   ', 'k'.repeat(101)]) {
      const response = await create(owner, { name, role: 'VIEWER' });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.field).toBe('name');
    }
  });

  it('lowers a key to its creator’s current role, and stops it when the creator leaves', async () => {
    const owner = await accounts.signUp();
    const admin = await accounts.member(owner, 'ADMIN');
    const { secret } = (await create(admin, { name: 'admin key', role: 'ADMIN' })).data!
      .createApiKey;
    await accounts.sql(`UPDATE accounts.memberships SET role = 'VIEWER' WHERE user_id = $1`, [
      admin.me.user.id,
    ]);
    expect((await accounts.gql<{ me: { role: string } }>(ME, {}, secret)).data?.me.role).toBe(
      'VIEWER',
    );
    await accounts.sql(`DELETE FROM accounts.memberships WHERE user_id = $1`, [admin.me.user.id]);
    expect(errorCode(await accounts.gql(ME, {}, secret))).toBe('UNAUTHENTICATED');
  });

  describe('POST /internal/api-keys/verify', () => {
    it('answers the principal of a working key, and null for unknown, forged and revoked keys', async () => {
      const owner = await accounts.signUp();
      const { apiKey, secret } = (await create(owner, { name: 'svc', role: 'MEMBER' })).data!
        .createApiKey;
      const response = await verify({ key: secret });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        principal: {
          kind: 'apiKey',
          userId: owner.me.user.id,
          organizationId: owner.me.organization.id,
          role: 'MEMBER',
          apiKeyId: apiKey.id,
        },
      });

      // Right prefix, wrong secret.
      const forged = `dk_${apiKey.prefix}_${'A'.repeat(43)}`;
      expect(await (await verify({ key: forged })).json()).toEqual({ principal: null });
      expect(await (await verify({ key: 'dk_unknown' })).json()).toEqual({ principal: null });

      await accounts.gql(REVOKE, { id: apiKey.id }, owner.accessToken);
      expect(await (await verify({ key: secret })).json()).toEqual({ principal: null });
    });

    it('refuses requests that are not a JSON {key}', async () => {
      expect((await verify('not json')).status).toBe(400);
      expect((await verify({ key: 42 })).status).toBe(400);
      expect((await verify(null)).status).toBe(400);
      expect((await verify({ key: 'x'.repeat(10_000) })).status).toBe(413);
      const get = await verify(undefined, 'GET');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });
  });
});
