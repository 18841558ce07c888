import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AccessTokens } from '../../core/auth/access-token';
import { Role } from '../../core/auth/role';
import { errorCode, graphql } from '../support/graphql-client';
import { signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let owner: Actor;

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await signUpOwner(platform.url);
});
afterAll(async () => platform?.stop());

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }';
const signUpInput = (overrides: Record<string, string>) => ({
  input: { email: `u-${randomUUID()}@example.com`, password: 'Correct-horse-battery-9', name: 'U', organizationName: 'O', ...overrides },
});

describe('credentials', () => {
  const ME = '{ me { role } }';

  it('a malformed token is refused with 401 and a reason', async () => {
    const response = await graphql(platform.url, ME, {}, 'not-a-jwt');
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.errors![0].message).toMatch(/malformed|invalid/i);
    const notBearer = await fetch(platform.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic abc' }, body: JSON.stringify({ query: ME }) });
    expect(notBearer.status).toBe(401);
  });

  it('an expired token is refused and says so', async () => {
    const expired = await new SignJWT({ org: owner.organizationId, role: 'OWNER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(owner.userId)
      .setIssuer(platform.config.JWT_ISSUER)
      .setAudience('docent-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(platform.config.JWT_SECRET));
    const response = await graphql(platform.url, ME, {}, expired);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.errors![0].message).toMatch(/expired/i);
  });

  it('a token signed with another key is refused, at the gateway and at every subgraph', async () => {
    const forged = await new AccessTokens({ secret: 'x'.repeat(40), issuer: platform.config.JWT_ISSUER, ttlSeconds: 900 }).sign({
      userId: owner.userId,
      organizationId: owner.organizationId,
      role: Role.OWNER,
    });
    expect(errorCode(await graphql(platform.url, ME, {}, forged.token))).toBe('UNAUTHENTICATED');
    for (const [name, subgraph] of platform.subgraphs) {
      const response = await graphql(subgraph.url, '{ __typename }', {}, forged.token);
      expect([name, errorCode(response)]).toEqual([name, 'UNAUTHENTICATED']);
    }
  });

  it('an unknown API key is refused', async () => {
    const response = await graphql(platform.url, ME, {}, `dk_abcdefghijkl_${'A'.repeat(43)}`);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });
});

describe('input', () => {
  it('rejects an invalid e-mail, a weak password and oversized names, naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ password: 'password' }, 'password'],
      [{ password: 'aaaaaaaaaaaa' }, 'password'],
      [{ name: 'n'.repeat(10_000) }, 'name'],
      [{ organizationName: 'o'.repeat(10_000) }, 'organizationName'],
    ];
    for (const [overrides, field] of cases) {
      const response = await graphql(platform.url, SIGN_UP, signUpInput(overrides));
      expect([field, errorCode(response)]).toEqual([field, 'BAD_USER_INPUT']);
      expect(String(response.errors![0].extensions?.field)).toContain(field);
      expect(response.errors![0].message.length).toBeGreaterThan(10);
    }
  });

  it('refuses a second sign-up with the same e-mail as a conflict', async () => {
    expect(errorCode(await graphql(platform.url, SIGN_UP, signUpInput({ email: owner.email })))).toBe('CONFLICT');
  });

  it('tells malformed ids from unknown ones', async () => {
    const update = 'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "x" }) { id } }';
    expect(errorCode(await graphql(platform.url, update, { id: 'nope' }, owner.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await graphql(platform.url, update, { id: randomUUID() }, owner.accessToken))).toBe('NOT_FOUND');
    const read = await graphql<{ document: unknown }>(platform.url, 'query ($id: ID!) { document(id: $id) { id } }', { id: randomUUID() }, owner.accessToken);
    expect(read.data!.document).toBeNull();
    expect(errorCode(await graphql(platform.url, 'mutation ($id: ID!) { revokeApiKey(id: $id) }', { id: '1; DROP TABLE x' }, owner.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('rejects oversized document fields, too many tags and bad paging', async () => {
    const create = 'mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }';
    const big = await graphql(platform.url, create, { input: { title: 't'.repeat(301), text: 'x' } }, owner.accessToken);
    expect([errorCode(big), big.errors![0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'title']);
    const tags = await graphql(platform.url, create, { input: { title: 't', text: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }, owner.accessToken);
    expect(errorCode(tags)).toBe('BAD_USER_INPUT');
    expect(String(tags.errors![0].extensions?.field)).toContain('tags');
    const empty = await graphql(platform.url, create, { input: { title: 't', text: '' } }, owner.accessToken);
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    expect(errorCode(await graphql(platform.url, '{ documents(first: 1000) { totalCount } }', {}, owner.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await graphql(platform.url, '{ documents(after: "garbage") { totalCount } }', {}, owner.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('answers malformed requests with a GraphQL error, never a crash', async () => {
    const notJson = await fetch(platform.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
    const huge = await fetch(platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(platform.config.MAX_REQUEST_BYTES) } }),
    });
    expect(huge.status).toBe(413);
    const syntax = await graphql(platform.url, '{ documents { ');
    expect(errorCode(syntax)).toBe('GRAPHQL_PARSE_FAILED');
    const health = await fetch(new URL('/health', platform.url));
    expect(health.status).toBe(200);
  });
});
