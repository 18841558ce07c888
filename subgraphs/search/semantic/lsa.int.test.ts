import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LocalAiProvider } from '../../../core/ai/local/local-ai-provider';
import { loadConfig } from '../../../core/config/config';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import { createTestDatabase } from '../../../test/support/database';
import { ChunkRecord } from '../entities/chunk.entity';
import { PostgresRetrieval } from '../retrieval/postgres-retrieval';
import { IndexDocumentService } from '../services/index-document.service';
import { LsaChunkFolder } from './lsa-chunk-folder';
import { DEFAULT_LSA_OPTIONS, type LsaOptions } from './lsa-model';
import { currentLsaModel } from './lsa-store';
import { LocalQueryEmbedder } from './local-query-embedder';
import { lsaVersionDue } from './lsa-training-policy';
import { hasLsaVersionIndex } from './lsa-vector-index';
import { TrainLsaService } from './train-lsa.service';

const config = loadConfig({ NODE_ENV: 'test' });
const ai = new LocalAiProvider(config.EMBEDDING_DIM);
// Three topics, three directions: more would spend one on "aircraft versus airplane" itself.
const OPTIONS: LsaOptions = { ...DEFAULT_LSA_OPTIONS, dimensions: 3, minDf: 2 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let indexer: IndexDocumentService;
let trainer: TrainLsaService;
let retrieval: PostgresRetrieval;

/**
 * Three topics. Within a topic, documents draw from its words; "aircraft" and "airplane" never
 * meet in one document but share their neighbours, which is what LSA learns from.
 */
const TOPICS = {
  flight: ['wing', 'lift', 'drag', 'airfoil', 'propeller', 'stall', 'flap', 'fuselage'],
  heat: ['heat', 'conduction', 'slab', 'temperature', 'thermal', 'insulation', 'radiator'],
  lease: ['lease', 'tenant', 'landlord', 'rent', 'premises', 'renewal', 'deposit'],
};

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function topicText(topic: keyof typeof TOPICS, i: number, extra: string): string {
  const next = random(i * 31 + topic.length);
  const words = TOPICS[topic];
  return `${extra} ${Array.from({ length: 14 }, () => words[Math.floor(next() * words.length)]).join(' ')}.`;
}

async function index(organizationId: string, text: string): Promise<string> {
  const documentId = randomUUID();
  await indexer.execute({ organizationId, documentId, pages: [{ page: 1, text }], language: 'en' });
  return documentId;
}

/** 60 documents: flight ones say "aircraft" (even) or "airplane" (odd), never both. */
async function corpus(organizationId: string) {
  const ids = { aircraft: [] as string[], airplane: [] as string[], other: [] as string[] };
  for (let i = 0; i < 20; i++) {
    const noun = i % 2 ? 'airplane' : 'aircraft';
    ids[noun].push(await index(organizationId, topicText('flight', i, `The ${noun}`)));
    ids.other.push(await index(organizationId, topicText('heat', i, 'The furnace')));
    ids.other.push(await index(organizationId, topicText('lease', i, 'The contract')));
  }
  return ids;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createSubgraphDataSource({
    url: database.url,
    schema: 'search',
    entities: [ChunkRecord],
    migrations: [],
    poolSize: 8,
  });
  await dataSource.initialize();
  indexer = new IndexDocumentService(dataSource, ai, undefined, new LsaChunkFolder(ai.dimensions));
  trainer = new TrainLsaService(dataSource, ai.dimensions, OPTIONS);
  retrieval = new PostgresRetrieval(dataSource, new LocalQueryEmbedder(dataSource, ai));
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('the per-organization LSA model', () => {
  let organizationId: string;
  let other: string;
  let ids: Awaited<ReturnType<typeof corpus>>;
  let otherDocument: string;

  beforeAll(async () => {
    organizationId = randomUUID();
    other = randomUUID();
    ids = await corpus(organizationId);
    // Another organization's text, with a word found nowhere in the first one's.
    otherDocument = await index(other, 'The zeppelin wing lift zeppelin hangar wing lift.');
    await index(other, 'The zeppelin hangar wing lift zeppelin.');
  });

  it('serves the hashed vectors until the first model exists', async () => {
    expect(await currentLsaModel(dataSource, organizationId)).toBeNull();
    expect((await new LocalQueryEmbedder(dataSource, ai).embed(organizationId, 'wing')).model).toBe(
      ai.embeddingModel,
    );
    expect(await lsaVersionDue(dataSource, organizationId, 60, 50)).toBe(1);
    expect(await lsaVersionDue(dataSource, organizationId, 60, 200)).toBeNull();
  });

  it("is trained from the organization's own postings only and embeds all its chunks", async () => {
    const result = await trainer.execute(organizationId);
    expect(result).toMatchObject({
      trained: true,
      version: 1,
      corpusChunks: 60,
      sampledChunks: 60,
    });
    const model = (await currentLsaModel(dataSource, organizationId))!;
    const terms = await dataSource.query<Array<{ lexeme: string }>>(
      `SELECT lexeme FROM search.lsa_terms WHERE model_id = $1`,
      [model.id],
    );
    const lexemes = terms.map((t) => t.lexeme);
    expect(lexemes).toEqual(expect.arrayContaining(['aircraft', 'airplan', 'wing', 'leas']));
    expect(lexemes).not.toContain('zeppelin');
    expect(lexemes).not.toContain('hangar');
    // Every chunk of the organization has a row of the version; the other organization none.
    const rows = await dataSource.query<Array<{ organization_id: string; n: number }>>(
      `SELECT c.organization_id, count(*)::int AS n
         FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
        WHERE e.model_id = $1 GROUP BY 1`,
      [model.id],
    );
    expect(rows).toEqual([{ organization_id: organizationId, n: 60 }]);
    const [{ n: elsewhere }] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
        WHERE c.organization_id = $1`,
      [other],
    );
    expect(elsewhere).toBe(0);
    // Grown by less than half: no new version is due.
    expect(await lsaVersionDue(dataSource, organizationId, 80, 50)).toBeNull();
    expect(await lsaVersionDue(dataSource, organizationId, 90, 50)).toBe(2);
  });

  it('finds documents that share no word with the query but its context (SEMANTIC)', async () => {
    const keyword = await retrieval.retrieve({
      organizationId,
      query: 'airplane',
      mode: 'KEYWORD',
      limit: 20,
    });
    expect(new Set(keyword.map((h) => h.documentId))).toEqual(new Set(ids.airplane));
    const semantic = await retrieval.retrieve({
      organizationId,
      query: 'airplane',
      mode: 'SEMANTIC',
      limit: 20,
    });
    const found = semantic.map((h) => h.documentId);
    // The aircraft documents come before any heat or lease document.
    expect(found.filter((id) => ids.aircraft.includes(id)).length).toBeGreaterThanOrEqual(8);
    expect(found.slice(0, 20).filter((id) => ids.other.includes(id))).toEqual([]);
    const hybrid = await retrieval.retrieve({
      organizationId,
      query: 'airplane',
      mode: 'HYBRID',
      limit: 20,
    });
    expect(hybrid.slice(0, 10).every((h) => ids.airplane.includes(h.documentId))).toBe(true);
    expect(hybrid.some((h) => ids.aircraft.includes(h.documentId))).toBe(true);
  });

  it("never returns another organization's chunks, through the index and with a filter", async () => {
    for (const mode of ['SEMANTIC', 'HYBRID', 'KEYWORD'] as const) {
      const hits = await retrieval.retrieve({
        organizationId,
        query: 'zeppelin wing lift',
        mode,
        limit: 100,
      });
      expect(hits.map((h) => h.documentId)).not.toContain(otherDocument);
      const filtered = await retrieval.retrieve({
        organizationId,
        query: 'zeppelin wing lift',
        mode,
        limit: 10,
        filter: { documentIds: [otherDocument] },
      });
      expect(filtered).toEqual([]);
    }
    const theirs = await retrieval.retrieve({
      organizationId: other,
      query: 'wing',
      mode: 'SEMANTIC',
      limit: 10,
    });
    expect(theirs.map((h) => h.documentId)).toContain(otherDocument);
    expect(theirs).toHaveLength(2);
  });

  it('folds a new chunk into the current model on arrival', async () => {
    const model = (await currentLsaModel(dataSource, organizationId))!;
    const documentId = await index(
      organizationId,
      'The airplane wing stall with flap and propeller drag.',
    );
    expect(await versionsOf(documentId)).toEqual([model.id]);
    // Folded exactly as the same text is as a query: cosine 1 with it (in 3 dimensions other
    // flight documents may tie, so its place among them is not asserted).
    const same = await retrieval.retrieve({
      organizationId,
      query: 'The airplane wing stall with flap and propeller drag.',
      mode: 'SEMANTIC',
      limit: 61,
    });
    expect(same.find((h) => h.documentId === documentId)?.score).toBeCloseTo(1, 5);
    expect(same.at(-1)!.score).toBeLessThan(0.5);
    const [{ id: chunkId }] = await dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM search.chunks WHERE document_id = $1`,
      [documentId],
    );
    const neighbours = await retrieval.similarToChunk(organizationId, chunkId, 5);
    expect(neighbours).toHaveLength(5);
    expect(neighbours.map((h) => h.documentId)).not.toContain(documentId);
    expect(neighbours.every((h) => [...ids.aircraft, ...ids.airplane].includes(h.documentId))).toBe(
      true,
    );
  });

  it('switches to a retrained version atomically while retrieval keeps answering', async () => {
    const before = (await currentLsaModel(dataSource, organizationId))!;
    const rowVersions = () =>
      dataSource.query<Array<{ id: string; xmin: string }>>(
        `SELECT id, xmin::text FROM search.chunks WHERE organization_id = $1 ORDER BY id`,
        [organizationId],
      );
    const chunksBefore = await rowVersions();
    let stop = false;
    const answers: number[] = [];
    const models = new Set<string>();
    const embedder = new LocalQueryEmbedder(dataSource, ai);
    const reader = (async () => {
      while (!stop) {
        const hits = await retrieval.retrieve({
          organizationId,
          query: 'aircraft wing',
          mode: 'SEMANTIC',
          limit: 5,
        });
        answers.push(hits.length);
        models.add((await embedder.embed(organizationId, 'aircraft wing')).model);
        // Never two models: one current version at any instant.
        const [{ current }] = await dataSource.query<Array<{ current: number }>>(
          `SELECT count(*)::int AS current FROM search.lsa_models WHERE organization_id = $1 AND status = 'current'`,
          [organizationId],
        );
        expect(current).toBe(1);
      }
    })();
    // The trainer pauses once every chunk has its new row: no lock is held then, so an indexer
    // finishes (this await would never return if the build held the organization's model lock).
    let during = '';
    const paused = new TrainLsaService(dataSource, ai.dimensions, OPTIONS, {
      indexMinChunks: 0,
      retireGraceMs: 0,
      onStage: async (stage) => {
        if (stage === 'staged')
          during = await index(organizationId, 'The aircraft flap and fuselage.');
      },
    });
    const result = await paused.execute(organizationId);
    stop = true;
    await reader;
    expect(result).toMatchObject({ trained: true, version: 2 });
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((n) => n === 5)).toBe(true);
    const after = (await currentLsaModel(dataSource, organizationId))!;
    expect(after.version).toBe(2);
    expect(models).toContain(after.name);
    expect([...models].every((m) => m === before.name || m === after.name)).toBe(true);
    // The document indexed during the build was caught up before the lock: the switch itself
    // embedded nothing, and rewrote no chunk (every existing chunk row is the same row version).
    expect(result.switchedChunks).toBe(0);
    const chunksAfter = await rowVersions();
    const unchanged = new Map(chunksAfter.map((c) => [c.id, c.xmin]));
    expect(chunksBefore.every((c) => unchanged.get(c.id) === c.xmin)).toBe(true);
    expect(await versionsOf(during)).toEqual([after.id]);
    // The old version's rows are gone; every chunk has exactly one row, of the new version.
    const [{ rows, chunks, versions }] = await dataSource.query<
      Array<{ rows: number; chunks: number; versions: string[] }>
    >(
      `SELECT count(*)::int AS rows, count(DISTINCT e.chunk_id)::int AS chunks,
              array_agg(DISTINCT e.model_id::text) AS versions
         FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
        WHERE c.organization_id = $1`,
      [organizationId],
    );
    expect(versions).toEqual([after.id]);
    expect(rows).toBe(chunksAfter.length);
    expect(chunks).toBe(chunksAfter.length);
    // The old version's rows: every earlier chunk's and the one folded in during the build.
    expect(result.removedEmbeddings).toBe(chunksBefore.length + 1);
    const statuses = await dataSource.query<
      Array<{ version: number; status: string; terms: number }>
    >(
      `SELECT m.version, m.status, (SELECT count(*)::int FROM search.lsa_terms t WHERE t.model_id = m.id) AS terms
         FROM search.lsa_models m WHERE organization_id = $1 ORDER BY version`,
      [organizationId],
    );
    expect(statuses.map((s) => [s.version, s.status])).toEqual([
      [1, 'retired'],
      [2, 'current'],
    ]);
    expect(statuses[0].terms).toBe(0);
    expect(statuses[1].terms).toBeGreaterThan(10);
    // The version's own vector index was built (indexMinChunks 0) and the old one's dropped.
    expect(await hasLsaVersionIndex(dataSource, after.id)).toBe(true);
    expect(await hasLsaVersionIndex(dataSource, before.id)).toBe(false);
    expect(after.name).not.toBe(before.name);
    expect((await embedder.embed(organizationId, 'wing')).model).toBe(after.name);
  });

  it('embeds only the chunks indexed after the catch-up inside the switch', async () => {
    const current = (await currentLsaModel(dataSource, organizationId))!;
    let late = '';
    const trainer3 = new TrainLsaService(dataSource, ai.dimensions, OPTIONS, {
      retireGraceMs: 0,
      onStage: async (stage) => {
        if (stage === 'caught-up')
          late = await index(organizationId, 'The airplane propeller and flap.');
      },
    });
    const result = await trainer3.execute(organizationId);
    expect(result).toMatchObject({ trained: true, version: 3 });
    // Under the exclusive lock the switch embedded the late document's one chunk, nothing more.
    expect(result.switchedChunks).toBe(1);
    const after = (await currentLsaModel(dataSource, organizationId))!;
    expect(after.id).not.toBe(current.id);
    expect(await versionsOf(late)).toEqual([after.id]);
    // Small versions get no index of their own (an exact scan serves them).
    expect(await hasLsaVersionIndex(dataSource, after.id)).toBe(false);
    const hits = await retrieval.retrieve({
      organizationId,
      query: 'airplane propeller',
      mode: 'SEMANTIC',
      limit: 5,
    });
    expect(hits).toHaveLength(5);
  });
});

/** The model versions a document's chunks have embeddings of. */
async function versionsOf(documentId: string): Promise<string[]> {
  const rows = await dataSource.query<Array<{ model_id: string }>>(
    `SELECT DISTINCT e.model_id::text AS model_id
       FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
      WHERE c.document_id = $1 ORDER BY 1`,
    [documentId],
  );
  return rows.map((r) => r.model_id);
}
