import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../core/config/config';
import { createLogger } from '../../core/logging/logger';
import { createRedis } from '../../core/redis/redis';
import { createTestDatabase } from '../../test/support/database';
import { OwnRedis } from '../../test/support/redis-server';
import { OutboxRelay } from '../outbox-relay';
import { OUTBOX_SCHEMAS } from '../scheduler';
import { Queue } from 'bullmq';
import { removeDocumentChunksJobId } from '../../subgraphs/search/jobs/remove-document-chunks.job';
import { QueueName } from '../queues';
import { bullPrefix, DurableEventQueue } from './event-queue';
import { startEventConsumers, type RunningConsumers } from './event-consumers';

const logger = createLogger('test', 'silent');
const prefix = `test-${randomBytes(4).toString('hex')}`;
const redisServer = new OwnRedis();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Client;
let relay: OutboxRelay;
let consumers: RunningConsumers;
const connections: { disconnect: () => void }[] = [];

async function writeProcessed(organizationId: string, uploadedById: string): Promise<string> {
  await sql.query('BEGIN');
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO documents.outbox (organization_id, type, aggregate_id, payload) VALUES ($1, 'document.processed', $2, $3) RETURNING id`,
    [organizationId, randomUUID(), JSON.stringify({ uploadedById, title: 'Lease' })],
  );
  await sql.query(`SELECT pg_notify('docent_outbox', 'documents')`);
  await sql.query('COMMIT');
  return rows[0].id;
}

async function notificationsFor(userId: string): Promise<{ event_id: string }[]> {
  const { rows } = await sql.query(
    'SELECT event_id FROM notifications.notifications WHERE user_id = $1',
    [userId],
  );
  return rows;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await redisServer.start();
  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const relayRedis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const workerRedis = createRedis(config.REDIS_URL, { forWorkers: true });
  for (const c of [relayRedis, workerRedis]) c.on('error', () => undefined);
  connections.push(relayRedis, workerRedis);
  relay = new OutboxRelay({
    databaseUrl: database.url,
    redis: relayRedis,
    redisPrefix: config.REDIS_PREFIX,
    schemas: OUTBOX_SCHEMAS,
    pollIntervalMs: 200,
    logger,
    durable: new DurableEventQueue(relayRedis, config.REDIS_PREFIX),
  });
  await relay.start();
  consumers = await startEventConsumers(config, logger, workerRedis, {
    stalledIntervalMs: 1_000,
    lockDurationMs: 2_000,
  });
});

afterAll(async () => {
  await relay?.stop();
  await consumers?.stop().catch(() => undefined);
  for (const c of connections) c.disconnect();
  await sql?.end();
  await database?.drop();
  await redisServer.dispose();
});

describe('durable events: relay → BullMQ → consumers', () => {
  it('creates one notification for the uploader and announces it through the outbox', async () => {
    const org = randomUUID();
    const user = randomUUID();
    const eventId = await writeProcessed(org, user);
    await until(async () => (await notificationsFor(user)).length === 1);
    expect((await notificationsFor(user))[0].event_id).toBe(eventId);
    const { rows } = await sql.query(
      `SELECT payload FROM notifications.outbox WHERE organization_id = $1 AND type = 'notification.created'`,
      [org],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ userId: user, kind: 'DOCUMENT_PROCESSED' });
  });

  it("asks search to remove a deleted document's chunks, once per document", async () => {
    const org = randomUUID();
    const documentId = randomUUID();
    await sql.query('BEGIN');
    await sql.query(
      `INSERT INTO documents.outbox (organization_id, type, aggregate_id, payload) VALUES ($1, 'document.deleted', $2, '{}')`,
      [org, documentId],
    );
    await sql.query(`SELECT pg_notify('docent_outbox', 'documents')`);
    await sql.query('COMMIT');
    const searchIndex = new Queue(QueueName.SearchIndex, {
      connection: connections[1] as never,
      prefix: bullPrefix(prefix),
    });
    try {
      await until(
        async () =>
          (await searchIndex.getJob(removeDocumentChunksJobId({ documentId }))) !== undefined,
      );
      const job = await searchIndex.getJob(removeDocumentChunksJobId({ documentId }));
      expect(job!.data).toEqual({ organizationId: org, documentId });
    } finally {
      await searchIndex.close();
    }
  });

  it('loses no event when Redis is killed and restarted, and creates none twice', async () => {
    const org = randomUUID();
    const user = randomUUID();
    const before = await writeProcessed(org, user);
    await until(async () => (await notificationsFor(user)).length === 1);

    await redisServer.stop();
    const during: string[] = [];
    for (let i = 0; i < 3; i++) during.push(await writeProcessed(org, user));
    await new Promise((r) => setTimeout(r, 500));
    const pending = await sql.query(
      'SELECT count(*)::int AS n FROM documents.outbox WHERE id = ANY($1::uuid[]) AND published_at IS NULL',
      [during],
    );
    expect(pending.rows[0].n).toBe(3);

    await redisServer.start();
    const after = await writeProcessed(org, user);
    await until(async () => (await notificationsFor(user)).length === 5, 30_000);
    const ids = (await notificationsFor(user)).map((n) => n.event_id).sort();
    expect(ids).toEqual([before, ...during, after].sort());
  }, 60_000);
});
