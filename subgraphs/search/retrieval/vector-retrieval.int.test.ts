import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import { createTestDatabase } from '../../../test/support/database';
import {
  buildLsaVersionIndex,
  lsaIndexedExpression,
  lsaVersionIndexName,
} from '../semantic/lsa-vector-index';
import { lsaModelName } from '../semantic/lsa-store';
import { VectorRetrieval } from './vector-retrieval';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let dimension: number;
const organizationId = randomUUID();
const other = randomUUID();
/** Document ids by position on the quarter circle (0: along the query, 999: farthest). */
const documents: string[] = [];

const axis = () => [1, ...new Array<number>(dimension - 1).fill(0)];

type Statement = { sql: string; parameters: unknown[] };

/**
 * Runs `search` with sequential scans and sorts off on the connection, so that this small
 * table's plans walk the HNSW graph as they do at scale, recording every statement sent on the
 * data source's query runners.
 */
async function steered<T>(search: (statements: Statement[]) => Promise<T>): Promise<T> {
  const statements: Statement[] = [];
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  const spy = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((mode) => {
    const runner = createQueryRunner(mode);
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, parameters?: unknown[], ...rest: unknown[]) => {
      statements.push({ sql, parameters: parameters ?? [] });
      return (query as (...a: unknown[]) => Promise<unknown>)(sql, parameters, ...rest);
    }) as typeof runner.query;
    return runner;
  });
  const settings = ['enable_seqscan', 'enable_sort'];
  for (const setting of settings) await dataSource.query(`SET ${setting} = off`);
  try {
    return await search(statements);
  } finally {
    spy.mockRestore();
    for (const setting of settings) await dataSource.query(`RESET ${setting}`);
  }
}

/** A steered search, its vector statement and that statement's plan (EXPLAIN, same parameters). */
function nearestWithPlan(organization: string, model: string, limit: number) {
  return steered(async (statements) => {
    const hits = await new VectorRetrieval(dataSource).nearest(
      organization,
      { model, vector: axis() },
      limit,
    );
    const { sql, parameters } = statements.find((statement) => /WITH nearest/.test(statement.sql))!;
    const plan = await dataSource.query<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN ${sql}`,
      parameters,
    );
    return { hits, sql, plan: plan.map((row) => row['QUERY PLAN']).join('\n') };
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection: every search below reuses it, as a pooled connection is reused.
  dataSource = createSubgraphDataSource({
    url: database.url,
    schema: 'search',
    entities: [],
    migrations: [],
    poolSize: 1,
  });
  await dataSource.initialize();
  const [column] = await dataSource.query<{ dimension: number }[]>(
    `SELECT atttypmod AS dimension FROM pg_attribute WHERE attrelid = 'search.chunks'::regclass AND attname = 'embedding'`,
  );
  dimension = column.dimension;
  for (let i = 0; i < 1_000; i++) documents.push(randomUUID());
  // 1,000 unit vectors on a quarter circle (one connected HNSW graph), one document each; the
  // other organization's copies lie between them, so its rows fill any unfiltered candidate list.
  for (const [owner, ids] of [
    [organizationId, documents],
    [other, documents.map(() => randomUUID())],
  ] as const)
    await dataSource.query(
      `INSERT INTO search.chunks (organization_id, document_id, index, text, token_count, embedding, embedding_model, tsv)
       SELECT $1, d.id, 0, 't', 1,
              (ARRAY[cos(d.i * pi() / 2000), sin(d.i * pi() / 2000)] || array_fill(0::float8, ARRAY[$3::int - 2]))::vector,
              'test', ''::tsvector
         FROM unnest($2::uuid[]) WITH ORDINALITY AS d(id, i)`,
      [owner, ids, dimension],
    );
  await dataSource.query(`ANALYZE search.chunks`);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('VectorRetrieval', () => {
  it("answers the organization's nearest chunks through the index, nearest first", async () => {
    const vectors = new VectorRetrieval(dataSource);
    const hits = await vectors.nearest(organizationId, { model: 'test', vector: axis() }, 5);
    expect(hits.map((h) => h.documentId)).toEqual(documents.slice(0, 5));
  });

  it('runs the exact scan when a narrow filter starves the index scan', async () => {
    // Three chunks of another model at the far end of the circle, behind a scan cap far below
    // the rows before them: the iterative index scan gives up, the exact scan of the filtered
    // rows answers (the statement shows it ran). Sequential scans and sorts are off on the
    // connection so that the first pass walks the HNSW graph, as it does at scale; the exact
    // pass, index scans off, reads the organization's rows by bitmap.
    const far = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO search.chunks (organization_id, document_id, index, text, token_count, embedding, embedding_model, tsv)
       SELECT $1, d.id, 0, 't', 1, (ARRAY[0, 1] || array_fill(0::float8, ARRAY[$3::int - 2]))::vector,
              'rare', ''::tsvector
         FROM unnest($2::uuid[]) AS d(id)`,
      [organizationId, far, dimension],
    );
    await steered(async (statements) => {
      const capped = new VectorRetrieval(dataSource, { efSearch: 10 }, 20);
      const hits = await capped.nearest(organizationId, { model: 'rare', vector: axis() }, 3);
      expect(hits.map((h) => h.documentId).sort()).toEqual([...far].sort());
      expect(statements.map((statement) => statement.sql)).toContain(
        'SET LOCAL enable_indexscan = off',
      );
    });
  });

  it('sets the index settings on the connection once, and again when they change', async () => {
    const show = async () =>
      (
        await dataSource.query<
          Array<{ ef: string; scan: string; tuples: string; probes: string; listScan: string }>
        >(
          `SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan,
                current_setting('hnsw.max_scan_tuples') AS tuples, current_setting('ivfflat.probes') AS probes,
                current_setting('ivfflat.iterative_scan') AS "listScan"`,
        )
      )[0];
    const query = { model: 'test', vector: axis() };
    await new VectorRetrieval(dataSource).nearest(organizationId, query, 5);
    expect(await show()).toEqual({
      ef: '200',
      scan: 'relaxed_order',
      tuples: '50000',
      probes: '1',
      listScan: 'relaxed_order',
    });
    await new VectorRetrieval(dataSource, { efSearch: 40, probes: 7 }, 1_000).nearest(
      organizationId,
      query,
      5,
    );
    expect(await show()).toEqual({
      ef: '40',
      scan: 'relaxed_order',
      tuples: '1000',
      probes: '7',
      listScan: 'relaxed_order',
    });
    // A limit above ef_search raises the candidate list to the limit.
    const wide = await new VectorRetrieval(dataSource, { efSearch: 40 }, 1_000).nearest(
      organizationId,
      query,
      60,
    );
    expect(wide).toHaveLength(60);
    expect((await show()).ef).toBe('60');
    // The exact fallback's planner setting stays inside its own transaction.
    expect(
      (
        await dataSource.query<Array<{ v: string }>>(
          `SELECT current_setting('enable_indexscan') AS v`,
        )
      )[0].v,
    ).toBe('on');
  });

  it.each([
    ['lists, as the trainer builds them', 'trainer'],
    ['HNSW graph, as versions trained on 2026-12-01 have it', 'hnsw'],
  ])(
    "searches an LSA version's half-precision %s, its own dimensions, then ranks exactly",
    async (_, kind) => {
      // A version of 2 dimensions over the organization's first 100 documents, on a half circle
      // (steps of 1.8°: half precision tells them apart), zero-padded as the trainer stores them.
      await dataSource.query(
        `UPDATE search.lsa_models SET status = 'retired' WHERE organization_id = $1 AND status = 'current'`,
        [organizationId],
      );
      const [{ id }] = await dataSource.query<Array<{ id: string }>>(
        `INSERT INTO search.lsa_models (organization_id, version, status, dimensions)
         SELECT $1, COALESCE(max(version), 0) + 1, 'current', 2 FROM search.lsa_models WHERE organization_id = $1
         RETURNING id::text`,
        [organizationId],
      );
      await dataSource.query(
        `INSERT INTO search.lsa_embeddings (chunk_id, model_id, embedding)
         SELECT c.id, $3, (ARRAY[cos(d.i * pi() / 100), sin(d.i * pi() / 100)] || array_fill(0::float8, ARRAY[$4::int - 2]))::vector
           FROM unnest($2::uuid[]) WITH ORDINALITY AS d(id, i)
           JOIN search.chunks c ON c.document_id = d.id AND c.organization_id = $1`,
        [organizationId, documents.slice(0, 100), id, dimension],
      );
      if (kind === 'trainer') await buildLsaVersionIndex(dataSource, id, 2, 100);
      else
        await dataSource.query(
          `CREATE INDEX ${lsaVersionIndexName(id)} ON search.lsa_embeddings
             USING hnsw ((${lsaIndexedExpression('', 2)}) public.halfvec_cosine_ops)
             WITH (m = 16, ef_construction = 128) WHERE model_id = ${id}`,
        );
      await dataSource.query(`ANALYZE search.lsa_embeddings`);
      const { hits, sql, plan } = await nearestWithPlan(organizationId, lsaModelName(id), 5);
      // Re-sorted by the stored vectors' exact distance: the nearest five, nearest first.
      expect(hits.map((h) => h.documentId)).toEqual(documents.slice(0, 5));
      expect(hits[0].score).toBeCloseTo(Math.cos(Math.PI / 100), 6);
      expect(sql).toContain('halfvec');
      expect(plan).toContain(lsaVersionIndexName(id));
    },
  );

  it("walks a version's full-precision graph, as versions trained before half precision have it", async () => {
    // The other organization's version, its graph built as the trainer built it before (the
    // whole column, full precision): still used, in the exact distance's order, until the
    // version's next training replaces it.
    const [{ id }] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO search.lsa_models (organization_id, version, status, dimensions)
       VALUES ($1, 1, 'current', 2) RETURNING id::text`,
      [other],
    );
    const theirs = await dataSource.query<Array<{ document_id: string }>>(
      `INSERT INTO search.lsa_embeddings (chunk_id, model_id, embedding)
       SELECT c.id, $2, c.embedding FROM search.chunks c WHERE c.organization_id = $1
       RETURNING (SELECT document_id FROM search.chunks WHERE id = chunk_id)`,
      [other, id],
    );
    expect(theirs.length).toBe(1_000);
    await dataSource.query(
      `CREATE INDEX ${lsaVersionIndexName(id)} ON search.lsa_embeddings
         USING hnsw (embedding public.vector_cosine_ops) WITH (m = 16, ef_construction = 128)
         WHERE model_id = ${id}`,
    );
    await dataSource.query(`ANALYZE search.lsa_embeddings`);
    const { hits, sql, plan } = await nearestWithPlan(other, lsaModelName(id), 3);
    expect(hits).toHaveLength(3);
    expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
    expect(sql).not.toContain('halfvec');
    expect(plan).toContain(lsaVersionIndexName(id));
  });
});
