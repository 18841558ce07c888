import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../core/config/config';
import { createRedis } from '../../core/redis/redis';
import { eventChannel } from '../../core/events/channels';
import { createLogger } from '../../core/logging/logger';
import { buildManifest } from '../../gateway/persisted-queries/build-manifest';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** The response cache: hits, scopes that never cross tenants, invalidation by mutations and events. */
let platform: TestPlatform;
let second: RunningGateway;
let owner: Actor;
let other: Actor;
const extraGateways: RunningGateway[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({ RESPONSE_CACHE: 'true' });
  second = await startGateway(platform.config, createLogger('test', 'silent'), { port: 0 });
  owner = await signUpOwner(platform.url);
  other = await signUpOwner(platform.url);
});
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.stop();
  await second?.stop();
  await platform?.stop();
});

async function anotherGateway(overrides: Partial<Config>): Promise<RunningGateway> {
  const gateway = await startGateway(
    { ...platform.config, ...overrides },
    createLogger('test', 'silent'),
    { port: 0 },
  );
  extraGateways.push(gateway);
  return gateway;
}

interface Answer {
  status: number;
  /** x-cache: HIT or MISS. */
  cache: string | null;
  /** x-cache-path: `fast` when the hit was served without Apollo's pipeline. */
  path: string | null;
  contentType: string | null;
  body: {
    data?: Record<string, unknown>;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    cache: response.headers.get('x-cache'),
    path: response.headers.get('x-cache-path'),
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Answer['body'],
  };
}

async function post(url: string, actor: Actor, body: object, headers: Record<string, string> = {}) {
  return send(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${actor.accessToken}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function query(url: string, actor: Actor, text: string, variables: object = {}) {
  return post(url, actor, { query: text, variables });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const LIST =
  'query List { documents(first: 10) { totalCount edges { node { id title status processing { stage } uploadedBy { id email } } } } }';

describe('response cache', () => {
  it('serves a cached answer, on any gateway, and a mutation invalidates it', async () => {
    const id = await createTextDocument(platform.url, owner, 'Lease');
    const first = await query(platform.url, owner, LIST);
    expect(first.body.errors).toBeUndefined();
    expect(first.cache).toBe('MISS');
    const again = await query(second.url, owner, LIST);
    expect(again.cache).toBe('HIT');
    expect(again.body).toEqual(first.body);

    const renamed = await query(
      platform.url,
      owner,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "Lease 2027" }) { id } }',
      { id },
    );
    expect(renamed.body.errors).toBeUndefined();
    const after = await query(second.url, owner, LIST);
    expect(after.cache).toBe('MISS');
    expect(JSON.stringify(after.body)).toContain('Lease 2027');
    expect((await query(platform.url, owner, LIST)).cache).toBe('HIT');
  });

  it('never serves one organization what another cached', async () => {
    await createTextDocument(platform.url, other, 'Other org secret');
    await query(platform.url, other, LIST);
    const mine = await query(platform.url, owner, LIST);
    expect(JSON.stringify(mine.body)).not.toContain('Other org secret');
    const theirs = await query(platform.url, other, LIST);
    expect(theirs.cache).toBe('HIT');
    expect(JSON.stringify(theirs.body)).toContain('Other org secret');
  });

  it('keeps PRIVATE answers per user', async () => {
    const member = await addMember(platform.url, owner, 'MEMBER');
    const ownerMe = await query(platform.url, owner, '{ me { role user { email } } }');
    expect(ownerMe.cache).toBe('MISS');
    expect((await query(platform.url, owner, '{ me { role user { email } } }')).cache).toBe('HIT');
    const memberMe = await query(platform.url, member, '{ me { role user { email } } }');
    expect(memberMe.cache).toBe('MISS');
    expect(memberMe.body.data).toEqual({ me: { role: 'MEMBER', user: { email: member.email } } });
  });

  it('an event on the organization channel invalidates its entries', async () => {
    await query(platform.url, owner, LIST);
    expect((await query(platform.url, owner, LIST)).cache).toBe('HIT');
    const redis = createRedis(platform.config.REDIS_URL);
    try {
      // What the outbox relay publishes when a worker changes a document.
      await redis.publish(
        eventChannel(platform.config.REDIS_PREFIX, owner.organizationId),
        JSON.stringify({ type: 'document.processed' }),
      );
    } finally {
      redis.disconnect();
    }
    const deadline = Date.now() + 2000;
    let cache: string | null = 'HIT';
    while (cache === 'HIT' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      cache = (await query(platform.url, owner, LIST)).cache;
    }
    expect(cache).toBe('MISS');
  });

  it('invalidates per entity: document A survives a change to B, not one to A; lists do not', async () => {
    const a = await createTextDocument(platform.url, owner, 'Alpha');
    const b = await createTextDocument(platform.url, owner, 'Beta');
    const ONE = 'query One($id: ID!) { document(id: $id) { id title status } }';
    const rename = (id: string, title: string) =>
      query(
        platform.url,
        owner,
        'mutation ($id: ID!, $title: String!) { updateDocument(id: $id, input: { title: $title }) { id title } }',
        { id, title },
      );
    expect((await query(platform.url, owner, ONE, { id: a })).cache).toBe('MISS');
    expect((await query(second.url, owner, ONE, { id: a })).cache).toBe('HIT');
    await query(platform.url, owner, LIST);
    expect((await query(platform.url, owner, LIST)).cache).toBe('HIT');

    expect((await rename(b, 'Beta 2')).body.errors).toBeUndefined();
    // The event of B's change (relayed through Redis) must not evict A either: wait for it.
    const redis = createRedis(platform.config.REDIS_URL);
    try {
      await redis.publish(
        eventChannel(platform.config.REDIS_PREFIX, owner.organizationId),
        JSON.stringify({ type: 'document.updated', aggregateId: b, payload: { documentId: b } }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const stillA = await query(second.url, owner, ONE, { id: a });
      expect(stillA.cache).toBe('HIT');
      expect(stillA.body.data?.document).toMatchObject({ id: a, title: 'Alpha' });
      // The list shows B: any change in the organization makes its lists stale.
      const list = await query(platform.url, owner, LIST);
      expect(list.cache).toBe('MISS');
      expect(JSON.stringify(list.body)).toContain('Beta 2');

      // A change to A, through a mutation on another gateway: A's entry goes at once.
      expect((await rename(a, 'Alpha 2')).body.errors).toBeUndefined();
      const freshA = await query(second.url, owner, ONE, { id: a });
      expect(freshA.cache).toBe('MISS');
      expect(JSON.stringify(freshA.body)).toContain('Alpha 2');
      expect((await query(platform.url, owner, ONE, { id: a })).cache).toBe('HIT');

      // An event naming A (a worker's change, no mutation through a gateway) evicts it too.
      await redis.publish(
        eventChannel(platform.config.REDIS_PREFIX, owner.organizationId),
        JSON.stringify({ type: 'document.processed', aggregateId: a, payload: {} }),
      );
      const deadline = Date.now() + 2000;
      let cache: string | null = 'HIT';
      while (cache === 'HIT' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        cache = (await query(platform.url, owner, ONE, { id: a })).cache;
      }
      expect(cache).toBe('MISS');
    } finally {
      redis.disconnect();
    }
  });

  it('does not cache what the subgraphs do not hint as cacheable', async () => {
    const keys = '{ apiKeys { id lastUsedAt } }';
    expect((await query(platform.url, owner, keys)).cache).toBe('MISS');
    expect((await query(platform.url, owner, keys)).cache).toBe('MISS');
  });
});

/** Hits answered before Apollo's pipeline (gateway/cache/cache-hit-fast-path.ts). */
describe('the hit path without Apollo', () => {
  it('answers a hit with the body and content type Apollo sends, marked as a fast hit', async () => {
    await createTextDocument(platform.url, owner, 'Fast path');
    const FAST_LIST =
      'query FastList { documents(first: 5) { totalCount edges { node { id title } } } }';
    const miss = await query(platform.url, owner, FAST_LIST);
    expect(miss.cache).toBe('MISS');
    // `second` never ran this document: Apollo validates it there and its plugin serves the hit.
    const apolloHit = await query(second.url, owner, FAST_LIST);
    expect(apolloHit).toMatchObject({ cache: 'HIT', path: null });
    const fastHit = await query(second.url, owner, FAST_LIST);
    expect(fastHit).toMatchObject({ status: 200, cache: 'HIT', path: 'fast' });
    expect(fastHit.body).toEqual(miss.body);
    expect(fastHit.contentType).toBe(miss.contentType);

    // Apollo's content negotiation, answer for answer: a miss (another variables object, which
    // the operation ignores) is Apollo's, the repeat is the hit path's.
    const accepts = [
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
    ];
    for (const [i, accept] of accepts.entries()) {
      const body = { query: FAST_LIST, variables: { accept: i } };
      const fromApollo = await post(platform.url, owner, body, { accept });
      const fromHitPath = await post(platform.url, owner, body, { accept });
      expect([fromApollo.cache, fromHitPath.cache, fromHitPath.path]).toEqual([
        'MISS',
        'HIT',
        'fast',
      ]);
      expect(fromHitPath.contentType).toBe(fromApollo.contentType);
    }
  });

  it('keeps PRIVATE answers per user and every answer per organization', async () => {
    const member = await addMember(platform.url, owner, 'MEMBER');
    const ME = 'query FastMe { me { role user { email } organization { id } } }';
    expect((await query(platform.url, owner, ME)).cache).toBe('MISS');
    const ownerHit = await query(platform.url, owner, ME);
    expect(ownerHit).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(ownerHit.body.data).toEqual({
      me: {
        role: 'OWNER',
        user: { email: owner.email },
        organization: { id: owner.organizationId },
      },
    });
    // Same organization, another user: the owner's private answer is not theirs.
    const memberMiss = await query(platform.url, member, ME);
    expect(memberMiss.cache).toBe('MISS');
    expect(memberMiss.body.data).toMatchObject({
      me: { role: 'MEMBER', user: { email: member.email } },
    });
    const memberHit = await query(platform.url, member, ME);
    expect(memberHit).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(memberHit.body).toEqual(memberMiss.body);

    // Another organization: its own answers, never this one's.
    const LIST_TITLES = 'query FastTitles { documents(first: 50) { edges { node { title } } } }';
    await createTextDocument(platform.url, other, 'Fast other secret');
    expect((await query(platform.url, other, LIST_TITLES)).cache).toBe('MISS');
    const theirs = await query(platform.url, other, LIST_TITLES);
    expect(theirs).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(JSON.stringify(theirs.body)).toContain('Fast other secret');
    const mine = await query(platform.url, owner, LIST_TITLES);
    expect(mine.cache).toBe('MISS');
    expect(JSON.stringify(mine.body)).not.toContain('Fast other secret');
    const mineAgain = await query(platform.url, owner, LIST_TITLES);
    expect(mineAgain).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(JSON.stringify(mineAgain.body)).not.toContain('Fast other secret');
  });

  it('a mutation and an event invalidate what it serves', async () => {
    const id = await createTextDocument(platform.url, owner, 'Fast Gamma');
    const ONE = 'query FastOne($id: ID!) { document(id: $id) { id title } }';
    const LIST_IDS = 'query FastIds { documents(first: 50) { totalCount edges { node { id } } } }';
    for (const [text, variables] of [
      [ONE, { id }],
      [LIST_IDS, {}],
    ] as const) {
      expect((await query(platform.url, owner, text, variables)).cache).toBe('MISS');
      expect(await query(platform.url, owner, text, variables)).toMatchObject({
        cache: 'HIT',
        path: 'fast',
      });
    }

    const renamed = await query(
      second.url,
      owner,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { title: "Fast Gamma 2" }) { id } }',
      { id },
    );
    expect(renamed.body.errors).toBeUndefined();
    const afterMutation = await query(platform.url, owner, ONE, { id });
    expect(afterMutation.cache).toBe('MISS');
    expect(afterMutation.body.data).toEqual({ document: { id, title: 'Fast Gamma 2' } });
    expect(await query(platform.url, owner, ONE, { id })).toMatchObject({
      cache: 'HIT',
      path: 'fast',
    });
    expect(await query(platform.url, owner, LIST_IDS)).toMatchObject({ cache: 'MISS' });
    expect(await query(platform.url, owner, LIST_IDS)).toMatchObject({
      cache: 'HIT',
      path: 'fast',
    });

    // An event naming the document (a worker's change): both entries go.
    const redis = createRedis(platform.config.REDIS_URL);
    try {
      await redis.publish(
        eventChannel(platform.config.REDIS_PREFIX, owner.organizationId),
        JSON.stringify({ type: 'document.processed', aggregateId: id, payload: {} }),
      );
    } finally {
      redis.disconnect();
    }
    const deadline = Date.now() + 2000;
    let cache: string | null = 'HIT';
    while (cache === 'HIT' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      cache = (await query(platform.url, owner, ONE, { id })).cache;
    }
    expect(cache).toBe('MISS');
    expect((await query(platform.url, owner, LIST_IDS)).cache).toBe('MISS');
  });

  it('a safelisted client gets no cached answer of an operation it may not run', async () => {
    const manifest = buildManifest(
      [join(__dirname, '../../clients/mobile/operations')],
      readFileSync(platform.config.SUPERGRAPH_PATH, 'utf8'),
    );
    const path = join(tmpdir(), `docent-cache-manifest-${platform.config.REDIS_PREFIX}.json`);
    writeFileSync(path, JSON.stringify(manifest));
    const gateway = await anotherGateway({
      PERSISTED_QUERY_MANIFEST: path,
      SAFELIST_CLIENTS: 'docent-mobile',
    });
    const web = { 'apollographql-client-name': 'docent-web' };
    const mobile = { 'apollographql-client-name': 'docent-mobile' };

    // The web client caches an unlisted operation, as text and registered by hash.
    const UNLISTED = 'query FastUnlisted { documents(first: 3) { totalCount } }';
    const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } };
    expect((await post(gateway.url, owner, { query: UNLISTED }, web)).cache).toBe('MISS');
    expect(await post(gateway.url, owner, { query: UNLISTED }, web)).toMatchObject({
      cache: 'HIT',
      path: 'fast',
    });
    await post(gateway.url, owner, { query: UNLISTED, extensions: persisted }, web);
    expect(await post(gateway.url, owner, { extensions: persisted }, web)).toMatchObject({
      cache: 'HIT',
      path: 'fast',
    });

    // The mobile client asks for the same answer, as text and by hash: refused, not served.
    for (const body of [{ query: UNLISTED }, { extensions: persisted }]) {
      const refused = await post(gateway.url, owner, body, mobile);
      expect(refused.status).toBe(403);
      expect(refused.cache).toBeNull();
      expect(refused.body.errors![0].extensions).toMatchObject({
        code: 'OPERATION_NOT_IN_SAFELIST',
      });
    }

    // A listed operation by its manifest id (never registered through APQ) is served fast.
    const me = manifest.operations.find((operation) => operation.name === 'Me')!;
    const byId = { extensions: { persistedQuery: { version: 1, sha256Hash: me.id } } };
    expect((await post(gateway.url, owner, byId, mobile)).cache).toBe('MISS');
    const listed = await post(gateway.url, owner, byId, mobile);
    expect(listed).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(listed.body.data).toMatchObject({ me: { role: 'OWNER', user: { email: owner.email } } });
  });

  it('charges each request once to the rate limit and refuses a hit over it', async () => {
    const gateway = await anotherGateway({ RATE_LIMIT_PER_USER: 4, RATE_LIMIT_WINDOW_SECONDS: 3 });
    const actor = await signUpOwner(platform.url);
    const a = await createTextDocument(platform.url, actor, 'Limited A');
    const b = await createTextDocument(platform.url, actor, 'Limited B');
    const ONE = 'query FastLimited($id: ID!) { document(id: $id) { id title } }';
    // Start at the beginning of a window so the four fit in it.
    await new Promise((r) => setTimeout(r, 3000 - (Date.now() % 3000) + 20));
    const answers = [];
    for (const id of [a, a, b, b]) answers.push(await query(gateway.url, actor, ONE, { id }));
    // The third is a miss the hit path charged before Apollo served it: charged once, or the
    // fourth would be refused.
    expect(answers.map((answer) => [answer.status, answer.cache, answer.path])).toEqual([
      [200, 'MISS', null],
      [200, 'HIT', 'fast'],
      [200, 'MISS', null],
      [200, 'HIT', 'fast'],
    ]);
    const limited = await send(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${actor.accessToken}` },
      body: JSON.stringify({ query: ONE, variables: { id: b } }),
    });
    expect(limited.status).toBe(429);
    expect(limited.cache).toBeNull();
    expect(limited.body.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = limited.body.errors![0].extensions!.retryAfter as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
    expect(await query(gateway.url, actor, ONE, { id: b })).toMatchObject({
      status: 200,
      cache: 'HIT',
      path: 'fast',
    });
  });

  it('never answers from the cache what Apollo would refuse', async () => {
    const Q = 'query FastGuarded { documents(first: 2) { totalCount } }';
    expect((await query(platform.url, owner, Q)).cache).toBe('MISS');
    expect(await query(platform.url, owner, Q)).toMatchObject({ cache: 'HIT', path: 'fast' });

    // A bad credential: 401, whatever is cached.
    const forged = await send(platform.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${owner.accessToken}x`,
      },
      body: JSON.stringify({ query: Q }),
    });
    expect(forged.status).toBe(401);
    expect(forged.cache).toBeNull();

    // GET: CSRF prevention wants a preflight header (or a JSON content type).
    const search = `?${new URLSearchParams({ query: Q })}`;
    const auth = { authorization: `Bearer ${owner.accessToken}` };
    const simple = await send(platform.url + search, { headers: auth });
    expect(simple.status).toBe(400);
    expect(simple.cache).toBeNull();
    const preflighted = await send(platform.url + search, {
      headers: { ...auth, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted).toMatchObject({ status: 200, cache: 'HIT', path: 'fast' });

    // A text POSTed as a simple content type is the same CSRF case.
    const textPlain = await send(platform.url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: Q }),
    });
    expect(textPlain.status).toBe(400);
    expect(textPlain.cache).toBeNull();

    // A body over the size limit is refused before anything is looked up.
    const large = await send(platform.url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: Q, padding: 'x'.repeat(platform.config.MAX_REQUEST_BYTES) }),
    });
    expect(large.status).toBe(413);

    // A persisted query by hash, over GET: served while Apollo's store has it, refused after.
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(Q) } };
    await post(platform.url, owner, { query: Q, extensions });
    const byHash = `?${new URLSearchParams({ extensions: JSON.stringify(extensions) })}`;
    const preflight = { ...auth, 'apollo-require-preflight': 'true' };
    expect(await send(platform.url + byHash, { headers: preflight })).toMatchObject({
      status: 200,
      cache: 'HIT',
      path: 'fast',
    });
    const redis = createRedis(platform.config.REDIS_URL);
    try {
      await redis.del(`${platform.config.REDIS_PREFIX}:gateway:apq:${sha256(Q)}`);
    } finally {
      redis.disconnect();
    }
    const forgotten = await send(platform.url + byHash, { headers: preflight });
    expect(forgotten.cache).toBeNull();
    expect(forgotten.body.errors![0].extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
    });
  });

  it('counts its answers in the request and cache-hit metrics', async () => {
    const metric = async (pattern: RegExp) => {
      const text = await (await fetch(new URL('/metrics', platform.url))).text();
      return Number(pattern.exec(text)?.[1] ?? 0);
    };
    const answered =
      /graphql_requests_total\{operation="FastMetricsProbe",type="query",outcome="ok"\} (\d+)/;
    const hits = /gateway_response_cache_lookups_total\{result="hit"\} (\d+)/;
    const PROBE = 'query FastMetricsProbe { me { role } }';
    expect((await query(platform.url, owner, PROBE)).cache).toBe('MISS');
    const [answeredBefore, hitsBefore] = [await metric(answered), await metric(hits)];
    for (let i = 0; i < 3; i++)
      expect(await query(platform.url, owner, PROBE)).toMatchObject({ cache: 'HIT', path: 'fast' });
    expect(await metric(answered)).toBe(answeredBefore + 3);
    expect(await metric(hits)).toBe(hitsBefore + 3);
  });
});
