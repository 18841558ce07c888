import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../../core/config/config';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import { createLogger } from '../../../core/logging/logger';
import { createTestDatabase } from '../../../test/support/database';
import type { QueryEmbedding } from '../retrieval/query-embedder';
import { CachedQueryEmbedder, type VersionedQueryEmbedder } from './cached-query-embedder';
import { DocumentFacetsService } from './document-facets.service';

/** The state search keeps beside its index: the query-embedding cache and the document facets. */
const config = loadConfig({ NODE_ENV: 'test' });
const logger = createLogger('test', 'silent');

class CountingEmbedder implements VersionedQueryEmbedder {
  calls = 0;
  model = 'lsa-v1';
  async embed(_organizationId: string, text: string): Promise<QueryEmbedding> {
    this.calls++;
    return { model: this.model, vector: [text.length, 0.5, -0.25] };
  }
  async currentModel(): Promise<string> {
    return this.model;
  }
}

describe('CachedQueryEmbedder (Redis)', () => {
  let redis: Redis;
  const prefix = `test-qe-${randomUUID()}:`;
  beforeAll(() => {
    redis = new Redis(config.REDIS_URL, { keyPrefix: prefix });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it('serves a repeated query from Redis, keyed by organization, model and normalized text, with a bounded TTL', async () => {
    const inner = new CountingEmbedder();
    const cache = new CachedQueryEmbedder(inner, redis, logger, 60);
    const org = randomUUID();
    const first = await cache.embed(org, 'Swept  Wing lift');
    expect(await cache.embed(org, '  swept wing LIFT ')).toEqual(first);
    expect(inner.calls).toBe(1);
    const [key] = await redis.keys(`${prefix}query-embedding:${org}:lsa-v1:*`);
    const ttl = await redis.ttl(key.slice(prefix.length));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);

    await cache.embed(randomUUID(), 'swept wing lift');
    expect(inner.calls).toBe(2);
    // A new model version: the old entry is never used for it.
    inner.model = 'lsa-v2';
    expect((await cache.embed(org, 'swept wing lift')).model).toBe('lsa-v2');
    expect(inner.calls).toBe(3);
  });

  it('embeds as on a miss when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const inner = new CountingEmbedder();
    const cache = new CachedQueryEmbedder(inner, down, logger);
    expect(await cache.embed(randomUUID(), 'wing')).toEqual({
      model: 'lsa-v1',
      vector: [4, 0.5, -0.25],
    });
    expect(inner.calls).toBe(1);
    down.disconnect();
  });
});

describe('DocumentFacetsService (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let facets: DocumentFacetsService;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createSubgraphDataSource({
      url: database.url,
      schema: 'search',
      entities: [],
      migrations: [],
      poolSize: 2,
    });
    await dataSource.initialize();
    facets = new DocumentFacetsService(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const row = (documentId: string) =>
    dataSource
      .query<Array<{ category: string | null; tags: string[] }>>(
        `SELECT category, tags FROM search.document_facets WHERE document_id = $1`,
        [documentId],
      )
      .then((rows) => rows[0] ?? null);

  it('keeps the newest event’s facets: a late or redelivered older event changes nothing', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const createdAt = new Date('2025-01-01T00:00:00Z');
    const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 0, 0, s));
    await facets.upsert({
      organizationId,
      documentId,
      category: 'invoice',
      tags: ['a'],
      createdAt,
      eventAt: at(2),
    });
    await facets.upsert({
      organizationId,
      documentId,
      category: 'contract',
      tags: [],
      createdAt,
      eventAt: at(1),
    });
    expect(await row(documentId)).toEqual({ category: 'invoice', tags: ['a'] });
    await facets.upsert({
      organizationId,
      documentId,
      category: null,
      tags: ['b', 'c'],
      createdAt,
      eventAt: at(3),
    });
    expect(await row(documentId)).toEqual({ category: null, tags: ['b', 'c'] });
    // Another organization cannot overwrite the row by naming the document.
    await facets.upsert({
      organizationId: randomUUID(),
      documentId,
      category: 'x',
      tags: [],
      createdAt,
      eventAt: at(9),
    });
    expect(await row(documentId)).toEqual({ category: null, tags: ['b', 'c'] });
  });

  it('drops a deleted document’s facets for good: a late update does not bring them back', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const createdAt = new Date();
    await facets.upsert({
      organizationId,
      documentId,
      category: 'invoice',
      tags: [],
      createdAt,
      eventAt: new Date(),
    });
    await facets.remove(organizationId, documentId);
    expect(await row(documentId)).toBeNull();
    await facets.upsert({
      organizationId,
      documentId,
      category: 'late',
      tags: [],
      createdAt,
      eventAt: new Date(Date.now() + 1000),
    });
    expect(await row(documentId)).toBeNull();
  });
});
