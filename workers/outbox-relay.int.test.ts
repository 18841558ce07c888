import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Redis } from 'ioredis';
import { eventChannel } from '../core/events/channels';
import { createLogger } from '../core/logging/logger';
import { createRedis } from '../core/redis/redis';
import { createTestDatabase } from '../test/support/database';
import { OutboxRelay } from './outbox-relay';
import { OUTBOX_SCHEMAS } from './scheduler';

const prefix = `test-${randomBytes(4).toString('hex')}`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Client;
let publisher: Redis;
let subscriber: Redis;
let relay: OutboxRelay;

async function writeEvent(
  schema: string,
  organizationId: string,
  type = 'document.uploaded',
): Promise<string> {
  await sql.query('BEGIN');
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "${schema}".outbox (organization_id, type, aggregate_id, payload) VALUES ($1, $2, $3, '{"n":1}') RETURNING id`,
    [organizationId, type, randomUUID()],
  );
  await sql.query(`SELECT pg_notify('docent_outbox', $1)`, [schema]);
  await sql.query('COMMIT');
  return rows[0].id;
}

function collect(organizationId: string): {
  events: { id: string; type: string; organizationId: string }[];
  ready: Promise<unknown>;
} {
  const events: { id: string; type: string; organizationId: string }[] = [];
  subscriber.on('message', (channel, message) => {
    if (channel === eventChannel(prefix, organizationId)) events.push(JSON.parse(message));
  });
  return { events, ready: subscriber.subscribe(eventChannel(prefix, organizationId)) };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  publisher = createRedis('redis://127.0.0.1:6379');
  subscriber = createRedis('redis://127.0.0.1:6379');
  relay = new OutboxRelay({
    databaseUrl: database.url,
    redis: publisher,
    redisPrefix: prefix,
    schemas: OUTBOX_SCHEMAS,
    pollIntervalMs: 60_000, // only LISTEN/NOTIFY can deliver within the test's time
    logger: createLogger('test', 'silent'),
  });
  await relay.start();
});

afterAll(async () => {
  await relay?.stop();
  publisher?.disconnect();
  subscriber?.disconnect();
  await sql?.end();
  await database?.drop();
});

describe('outbox relay', () => {
  it('hands on the request id and traceparent an event was written with, and nothing when it had none', async () => {
    const organizationId = randomUUID();
    const { events, ready } = collect(organizationId);
    await ready;
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    await sql.query('BEGIN');
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO documents.outbox (organization_id, type, aggregate_id, payload, request_id, traceparent)
       VALUES ($1, 'document.uploaded', $2, '{}', 'req-42', $3) RETURNING id`,
      [organizationId, randomUUID(), traceparent],
    );
    await sql.query(`SELECT pg_notify('docent_outbox', 'documents')`);
    await sql.query('COMMIT');
    const plain = await writeEvent('documents', organizationId);
    await until(() => events.length === 2);
    const traced = events.find((event) => event.id === rows[0].id) as Record<string, unknown>;
    expect(traced).toMatchObject({ requestId: 'req-42', traceparent });
    const untraced = events.find((event) => event.id === plain) as Record<string, unknown>;
    expect(untraced).not.toHaveProperty('requestId');
    expect(untraced).not.toHaveProperty('traceparent');
  });

  it('publishes a committed event on its organization channel only, and marks it published', async () => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const a = collect(orgA);
    const b = collect(orgB);
    await Promise.all([a.ready, b.ready]);

    const id = await writeEvent('documents', orgA);
    await until(() => a.events.length === 1);
    expect(a.events[0]).toMatchObject({ id, type: 'document.uploaded', organizationId: orgA });
    expect(b.events).toHaveLength(0);
    // Marked published in the transaction that claimed it, which commits right after the publish.
    let publishedAt: Date | null = null;
    for (let i = 0; i < 50 && publishedAt === null; i++) {
      const { rows } = await sql.query('SELECT published_at FROM documents.outbox WHERE id = $1', [
        id,
      ]);
      publishedAt = rows[0].published_at;
      if (publishedAt === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(publishedAt).toBeInstanceOf(Date);
  });

  it('drains every outbox schema and delivers events in commit order', async () => {
    const org = randomUUID();
    const c = collect(org);
    await c.ready;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await writeEvent(i % 2 ? 'compliance' : 'documents', org));
    await until(() => c.events.length === 5);
    expect(c.events.map((e) => e.id).sort()).toEqual([...ids].sort());
    const documentsIds = c.events.filter((e) => ids.indexOf(e.id) % 2 === 0).map((e) => e.id);
    expect(documentsIds).toEqual(ids.filter((_, i) => i % 2 === 0));
  });

  it('keeps an event that could not be published and sends it once Redis answers', async () => {
    const org = randomUUID();
    const c = collect(org);
    await c.ready;
    const down = createRedis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    const failing = new OutboxRelay({
      databaseUrl: database.url,
      redis: down,
      redisPrefix: prefix,
      schemas: ['documents'],
      pollIntervalMs: 60_000,
      logger: createLogger('test', 'silent'),
    });
    await relay.stop();
    await failing.start();
    const id = await writeEvent('documents', org);
    await new Promise((r) => setTimeout(r, 300));
    const pending = await sql.query('SELECT published_at FROM documents.outbox WHERE id = $1', [
      id,
    ]);
    expect(pending.rows[0].published_at).toBeNull();
    await failing.stop();
    down.disconnect();

    relay = new OutboxRelay({
      databaseUrl: database.url,
      redis: publisher,
      redisPrefix: prefix,
      schemas: OUTBOX_SCHEMAS,
      pollIntervalMs: 60_000,
      logger: createLogger('test', 'silent'),
    });
    await relay.start();
    await until(() => c.events.some((e) => e.id === id));
  });
});
