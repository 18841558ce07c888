import { createRedis } from '../../core/redis/redis';
import { eventChannel } from '../../core/events/channels';
import { createLogger } from '../../core/logging/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { addMember, createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** The response cache: hits, scopes that never cross tenants, invalidation by mutations and events. */
let platform: TestPlatform;
let second: RunningGateway;
let owner: Actor;
let other: Actor;

beforeAll(async () => {
  platform = await startTestPlatform({ RESPONSE_CACHE: 'true' });
  second = await startGateway(platform.config, createLogger('test', 'silent'), { port: 0 });
  owner = await signUpOwner(platform.url);
  other = await signUpOwner(platform.url);
});
afterAll(async () => {
  await second?.stop();
  await platform?.stop();
});

async function query(url: string, actor: Actor, text: string, variables: object = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${actor.accessToken}` },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  return { cache: response.headers.get('x-cache'), body };
}

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
