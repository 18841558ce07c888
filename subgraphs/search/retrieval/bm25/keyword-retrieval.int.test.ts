import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LocalAiProvider } from '../../../../core/ai/local/local-ai-provider';
import { loadConfig } from '../../../../core/config/config';
import { createSubgraphDataSource } from '../../../../core/db/data-source';
import { createTestDatabase } from '../../../../test/support/database';
import { ChunkRecord } from '../../entities/chunk.entity';
import { IndexDocumentService } from '../../services/index-document.service';
import { RemoveDocumentChunksService } from '../../services/remove-document-chunks.service';
import { bm25Idf, bm25Impact } from './bm25';
import { DEFAULT_KEYWORD_OPTIONS, KeywordRetrieval } from './keyword-retrieval';
import { DEFAULT_RELEVANCE_MODEL } from './relevance-model';
import { RefreshImpactsService } from './refresh-impacts.service';

const config = loadConfig({ NODE_ENV: 'test' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let indexer: IndexDocumentService;
let remover: RemoveDocumentChunksService;
let keyword: KeywordRetrieval;

const TEXTS = {
  wing: 'Experimental investigation of the aerodynamics of a wing in a propeller slipstream: the lift increase of the wing at several angles of attack.',
  plate:
    'Simple shear flow past a flat plate in an incompressible fluid of small viscosity; the boundary layer on the plate.',
  heat: 'Heat conduction in composite slabs: transient temperature of layered slabs heated on one face.',
  lease:
    'The commercial lease of the warehouse terminates on 31 January 2029 unless the tenant renews it.',
  shock:
    'Shock waves in supersonic flow around a blunt body: the boundary layer and the heat transfer behind the shock.',
};

async function index(organizationId: string, text: string, documentId = randomUUID()) {
  await indexer.execute({ organizationId, documentId, pages: [{ page: 1, text }], language: 'en' });
  return documentId;
}

/** The statistics recomputed from scratch from the chunks' tsvectors, and the stored ones. */
async function statistics(organizationId: string) {
  const stored = await dataSource.query<Array<{ lexeme: string; df: number }>>(
    `SELECT lexeme, df FROM search.term_stats WHERE organization_id = $1 AND df > 0 ORDER BY lexeme COLLATE "C"`,
    [organizationId],
  );
  const recomputed = await dataSource.query<Array<{ lexeme: string; df: number }>>(
    `SELECT t.lexeme, count(*)::int AS df FROM search.chunks c CROSS JOIN LATERAL unnest(c.tsv) t
      WHERE c.organization_id = $1 GROUP BY t.lexeme ORDER BY t.lexeme COLLATE "C"`,
    [organizationId],
  );
  const [corpus] = await dataSource.query<
    Array<{ chunk_count: number; total_length: string } | undefined>
  >(`SELECT chunk_count, total_length FROM search.corpus_stats WHERE organization_id = $1`, [
    organizationId,
  ]);
  const [real] = await dataSource.query<Array<{ chunks: number; length: string | null }>>(
    `SELECT count(DISTINCT c.id)::int AS chunks, sum(cardinality(t.positions))::text AS length
       FROM search.chunks c CROSS JOIN LATERAL unnest(c.tsv) t WHERE c.organization_id = $1`,
    [organizationId],
  );
  const [postings] = await dataSource.query<Array<{ missing: number; extra: number }>>(
    `SELECT
       (SELECT count(*)::int FROM search.chunks c CROSS JOIN LATERAL unnest(c.tsv) t
         WHERE c.organization_id = $1 AND NOT EXISTS (
           SELECT 1 FROM search.postings p WHERE p.chunk_id = c.id AND p.lexeme = t.lexeme
              AND p.tf = cardinality(t.positions) AND p.organization_id = $1))::int AS missing,
       (SELECT count(*)::int FROM search.postings p WHERE p.organization_id = $1 AND NOT EXISTS (
           SELECT 1 FROM search.chunks c CROSS JOIN LATERAL unnest(c.tsv) t
            WHERE c.id = p.chunk_id AND t.lexeme = p.lexeme))::int AS extra`,
    [organizationId],
  );
  return {
    stored,
    recomputed,
    corpus: {
      chunks: corpus?.chunk_count ?? 0,
      length: Number(corpus?.total_length ?? 0),
    },
    real: { chunks: real.chunks, length: Number(real.length ?? 0) },
    postings,
  };
}

async function expectConsistent(organizationId: string) {
  const s = await statistics(organizationId);
  expect(s.stored).toEqual(s.recomputed);
  expect(s.corpus).toEqual(s.real);
  expect(s.postings).toEqual({ missing: 0, extra: 0 });
  return s;
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
  indexer = new IndexDocumentService(dataSource, new LocalAiProvider(config.EMBEDDING_DIM));
  remover = new RemoveDocumentChunksService(dataSource);
  keyword = new KeywordRetrieval(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('BM25 postings and statistics', () => {
  it('are written with the chunks and stay consistent through re-index and removal', async () => {
    const organizationId = randomUUID();
    const wing = await index(organizationId, TEXTS.wing);
    const plate = await index(organizationId, TEXTS.plate);
    let s = await expectConsistent(organizationId);
    expect(s.corpus.chunks).toBe(2);
    expect(s.stored.find((t) => t.lexeme === 'wing')).toEqual({ lexeme: 'wing', df: 1 });

    // Re-indexing a document with other text replaces its share of the statistics.
    await index(organizationId, TEXTS.heat, wing);
    s = await expectConsistent(organizationId);
    expect(s.stored.find((t) => t.lexeme === 'wing')).toBeUndefined();
    expect(s.stored.find((t) => t.lexeme === 'slab')).toEqual({ lexeme: 'slab', df: 1 });

    await remover.execute({ organizationId, documentId: plate });
    s = await expectConsistent(organizationId);
    expect(s.corpus.chunks).toBe(1);
    await remover.execute({ organizationId, documentId: plate });
    await remover.execute({ organizationId, documentId: wing });
    s = await expectConsistent(organizationId);
    expect(s.corpus).toEqual({ chunks: 0, length: 0 });
    expect(s.stored).toEqual([]);
  });

  it('stay consistent, without deadlock, when many documents of one organization index at once', async () => {
    const organizationId = randomUUID();
    const texts = Object.values(TEXTS);
    const documents = Array.from({ length: 16 }, () => randomUUID());
    await Promise.all(
      documents.map((documentId, i) =>
        index(
          organizationId,
          `${texts[i % texts.length]} ${texts[(i * 3 + 1) % texts.length]}`,
          documentId,
        ),
      ),
    );
    // And again, concurrently with removals, in another order.
    await Promise.all([
      ...documents.slice(0, 8).map((documentId) => remover.execute({ organizationId, documentId })),
      ...documents
        .slice(8)
        .reverse()
        .map((documentId, i) => index(organizationId, texts[i % texts.length], documentId)),
    ]);
    const s = await expectConsistent(organizationId);
    expect(s.corpus.chunks).toBe(8);
  });

  it('store each posting its BM25 term part', async () => {
    const organizationId = randomUUID();
    await index(organizationId, TEXTS.shock);
    await index(organizationId, TEXTS.plate);
    const [row] = await dataSource.query<
      Array<{ tf: number; impact: number; length: number; avg: number }>
    >(
      `SELECT p.tf, p.impact, (SELECT sum(tf) FROM search.postings WHERE chunk_id = p.chunk_id)::int AS length,
              s.impact_avg_length AS avg
         FROM search.postings p JOIN search.corpus_stats s ON s.organization_id = p.organization_id
        WHERE p.organization_id = $1 AND p.lexeme = 'shock'`,
      [organizationId],
    );
    expect(row.tf).toBe(2);
    expect(row.impact).toBeCloseTo(bm25Impact(row.tf, row.length, row.avg), 5);
  });
});

describe('stored impacts', () => {
  it('are recomputed with the current average length once it has drifted', async () => {
    const organizationId = randomUUID();
    const documentId = randomUUID();
    const first = await indexer.execute({
      organizationId,
      documentId,
      pages: [{ page: 1, text: 'short wing text' }],
      language: 'en',
    });
    expect(first.impactsNeedRefresh).toBe(false);
    const second = await indexer.execute({
      organizationId,
      documentId: randomUUID(),
      pages: [{ page: 1, text: `${TEXTS.shock} ${TEXTS.plate} ${TEXTS.wing}` }],
      language: 'en',
    });
    expect(second.impactsNeedRefresh).toBe(true);
    const refreshed = await new RefreshImpactsService(dataSource).execute(organizationId);
    const rows = await dataSource.query<Array<{ tf: number; impact: number; length: number }>>(
      `SELECT p.tf, p.impact, (SELECT sum(tf) FROM search.postings WHERE chunk_id = p.chunk_id)::int AS length
         FROM search.postings p WHERE p.organization_id = $1`,
      [organizationId],
    );
    const s = await statistics(organizationId);
    expect(refreshed.averageLength).toBeCloseTo(s.real.length / s.real.chunks, 6);
    for (const row of rows)
      expect(row.impact).toBeCloseTo(bm25Impact(row.tf, row.length, refreshed.averageLength), 5);
  });
});

describe('KEYWORD retrieval (BM25)', () => {
  let organizationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    organizationId = randomUUID();
    for (const [name, text] of Object.entries(TEXTS)) ids[name] = await index(organizationId, text);
  });

  it('ranks the known-relevant chunk first with OR-ed words, even when not every word matches', async () => {
    const hits = await keyword.retrieve(
      organizationId,
      'what is the lift of a wing in a slipstream of propellers',
      3,
    );
    expect(hits[0].documentId).toBe(ids.wing);
    const boundary = await keyword.retrieve(
      organizationId,
      'boundary layer heat transfer zebra',
      5,
    );
    // "shock" has boundary layer and heat transfer; "plate" only boundary layer; "heat" only heat.
    expect(boundary[0].documentId).toBe(ids.shock);
    expect(boundary.map((h) => h.documentId)).toEqual(
      expect.arrayContaining([ids.plate, ids.heat]),
    );
    expect(boundary[0].score).toBeGreaterThan(boundary[1].score);
  });

  it('scores as BM25 does: idf of each matched term times its stored impact', async () => {
    const [hit] = await keyword.retrieve(organizationId, 'warehouse', 1);
    const [posting] = await dataSource.query<Array<{ impact: number }>>(
      `SELECT impact FROM search.postings WHERE chunk_id = $1 AND lexeme = 'warehous'`,
      [hit.chunkId],
    );
    expect(hit.documentId).toBe(ids.lease);
    expect(hit.score).toBeCloseTo(bm25Idf(5, 1) * posting.impact, 4);
  });

  it('honours quoted phrases and -exclusions as filters', async () => {
    const flow = await keyword.retrieve(organizationId, 'flow', 10);
    expect(new Set(flow.map((h) => h.documentId))).toEqual(new Set([ids.plate, ids.shock]));
    const phrase = await keyword.retrieve(organizationId, 'flow "flat plate"', 10);
    expect(phrase.map((h) => h.documentId)).toEqual([ids.plate]);
    const excluded = await keyword.retrieve(organizationId, 'flow -supersonic', 10);
    expect(excluded.map((h) => h.documentId)).toEqual([ids.plate]);
    const excludedPhrase = await keyword.retrieve(organizationId, 'flow -"shear flow"', 10);
    expect(excludedPhrase.map((h) => h.documentId)).toEqual([ids.shock]);
  });

  it('applies the documentIds filter before the per-term cap', async () => {
    const capped = new KeywordRetrieval(dataSource, {
      ...DEFAULT_KEYWORD_OPTIONS,
      postingsPerTerm: 1,
    });
    const all = await keyword.retrieve(organizationId, 'boundary', 10);
    const last = all.at(-1)!;
    expect(all.length).toBeGreaterThan(1);
    expect((await capped.retrieve(organizationId, 'boundary', 10)).length).toBe(1);
    const filtered = await capped.retrieve(organizationId, 'boundary', 10, {
      documentIds: [last.documentId],
    });
    expect(filtered.map((h) => h.documentId)).toEqual([last.documentId]);
  });

  it("never returns another organization's chunks", async () => {
    const other = randomUUID();
    const theirs = await index(other, `${TEXTS.wing} ${TEXTS.wing}`);
    const hits = await keyword.retrieve(organizationId, 'wing slipstream', 10);
    expect(hits.map((h) => h.documentId)).not.toContain(theirs);
    expect(hits.length).toBeGreaterThan(0);
    const theirHits = await keyword.retrieve(other, 'wing slipstream lease', 10);
    expect(theirHits.map((h) => h.documentId)).toEqual([theirs]);
    // Filtering by another organization's document finds nothing.
    expect(await keyword.retrieve(organizationId, 'wing', 10, { documentIds: [theirs] })).toEqual(
      [],
    );
  });

  it('asks once when nothing matches', async () => {
    const query = jest.spyOn(dataSource, 'query');
    try {
      // Words of the organization, every posting rejected by the filter inside the scan.
      const none = await keyword.retrieve(organizationId, 'wing boundary', 10, {
        documentIds: [randomUUID()],
      });
      expect(none).toEqual([]);
      const ranked = query.mock.calls.filter(([sql]) => /WITH terms AS/.test(String(sql)));
      expect(ranked).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });

  it('never lets the scope starve the answer: a rejected best candidate makes it join every candidate', async () => {
    // A posting filed under this organization that points at another's chunk (the scope, on the
    // chunk, rejects it) with the highest impact: the statement that cuts the candidates to the
    // best `limit` before joining the chunks gets too few rows and runs again without the cut.
    const theirs = await index(randomUUID(), TEXTS.wing);
    await dataSource.query(
      `UPDATE search.postings p SET organization_id = $1, impact = 1000
         FROM search.chunks c WHERE c.id = p.chunk_id AND c.document_id = $2 AND p.lexeme = 'wing'`,
      [organizationId, theirs],
    );
    const query = jest.spyOn(dataSource, 'query');
    try {
      const hits = await keyword.retrieve(organizationId, 'wing', 1);
      // The cut statement, then the one that joins every candidate.
      expect(query.mock.calls.filter(([sql]) => /WITH terms AS/.test(String(sql)))).toHaveLength(2);
      query.mockRestore();
      expect(hits).toHaveLength(1);
      expect(hits[0].documentId).not.toBe(theirs);
      expect(hits[0].documentId).toBe(
        (await keyword.retrieve(organizationId, 'wing slipstream', 1))[0].documentId,
      );
    } finally {
      query.mockRestore();
      await dataSource.query(
        `DELETE FROM search.postings p USING search.chunks c
          WHERE c.id = p.chunk_id AND c.document_id = $1 AND p.organization_id = $2`,
        [theirs, organizationId],
      );
    }
  });

  it('answers sensibly to empty, stop-word-only, operator-laden and 10,000-character queries', async () => {
    expect(await keyword.retrieve(organizationId, '', 10)).toEqual([]);
    expect(await keyword.retrieve(organizationId, 'the of and', 10)).toEqual([]);
    expect(await keyword.retrieve(organizationId, '-wing', 10)).toEqual([]);
    const odd = await keyword.retrieve(
      organizationId,
      `wing & | ! ( ) : * ' "unterminated <-> -`,
      10,
    );
    expect(odd[0].documentId).toBe(ids.wing);
    const long = await keyword.retrieve(organizationId, `${'lease warehouse '.repeat(700)}`, 10);
    expect(long[0].documentId).toBe(ids.lease);
  });
});

describe("KEYWORD retrieval with RM3 feedback (HYBRID's keyword leg)", () => {
  let organizationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    organizationId = randomUUID();
    // Twenty unrelated chunks, so that the feedback words below are rare (≤ 10 % of chunks).
    for (let i = 0; i < 20; i++)
      await index(organizationId, `Greenhouse tomatoes, watering schedule number ${i}.`);
    ids.a = await index(
      organizationId,
      'Propeller slipstream effect on wing lift at high angles of attack.',
    );
    ids.b = await index(
      organizationId,
      'The slipstream of a propeller: wing lift and downwash measured.',
    );
    // Shares the feedback chunks' vocabulary, not one word of the query.
    ids.c = await index(
      organizationId,
      'Downwash behind a wing and the lift distribution at angles of attack.',
    );
  });

  it("finds a chunk that shares the top chunks' words but none of the query's", async () => {
    const plain = await keyword.retrieve(organizationId, 'propeller slipstream', 10);
    expect(new Set(plain.map((h) => h.documentId))).toEqual(new Set([ids.a, ids.b]));
    const expanded = await keyword.retrieve(
      organizationId,
      'propeller slipstream',
      10,
      undefined,
      DEFAULT_RELEVANCE_MODEL,
    );
    expect(expanded.map((h) => h.documentId)).toContain(ids.c);
    // The chunks that match the query itself stay ahead of the one found through feedback.
    expect(
      expanded
        .slice(0, 2)
        .map((h) => h.documentId)
        .sort(),
    ).toEqual([ids.a, ids.b].sort());
    expect(expanded.some((h) => !Object.values(ids).includes(h.documentId))).toBe(false);
  });

  it("reads expansion words' postings under their own cap, not the query words' cap", async () => {
    const noExpansionPostings = new KeywordRetrieval(dataSource, {
      ...DEFAULT_KEYWORD_OPTIONS,
      expansionPostingsPerTerm: 0,
    });
    const expanded = await noExpansionPostings.retrieve(
      organizationId,
      'propeller slipstream',
      10,
      undefined,
      DEFAULT_RELEVANCE_MODEL,
    );
    // The query's own words still read their postings; the feedback-only chunk cannot come in.
    expect(new Set(expanded.map((h) => h.documentId))).toEqual(new Set([ids.a, ids.b]));
  });

  it('keeps exclusions, filters and the organization in the expanded pass', async () => {
    const other = randomUUID();
    const theirs = await index(
      other,
      'Downwash, lift and angles of attack of a propeller slipstream wing.',
    );
    const excluded = await keyword.retrieve(
      organizationId,
      'propeller slipstream -downwash',
      10,
      undefined,
      DEFAULT_RELEVANCE_MODEL,
    );
    expect(excluded.map((h) => h.documentId)).toEqual([ids.a]);
    const filtered = await keyword.retrieve(
      organizationId,
      'propeller slipstream',
      10,
      { documentIds: [ids.a, ids.c] },
      DEFAULT_RELEVANCE_MODEL,
    );
    expect(new Set(filtered.map((h) => h.documentId))).toEqual(new Set([ids.a, ids.c]));
    const expanded = await keyword.retrieve(
      organizationId,
      'propeller slipstream',
      10,
      undefined,
      DEFAULT_RELEVANCE_MODEL,
    );
    expect(expanded.map((h) => h.documentId)).not.toContain(theirs);
  });
});
