import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { Role } from '../../../core/auth/role';
import { loadConfig } from '../../../core/config/config';
import { startSubgraph, type RunningSubgraph } from '../../../core/graphql/subgraph';
import { createLogger } from '../../../core/logging/logger';
import { createTestDatabase } from '../../../test/support/database';
import { searchSubgraph } from '..';
import { chunkScope } from '../policies/chunk.policy';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let running: RunningSubgraph;
let dimension: number;

const member = (organizationId: string): Principal => ({
  kind: 'user',
  userId: randomUUID(),
  organizationId,
  role: Role.MEMBER,
});

/** The unit vector along the first axis, in the column's dimension. */
const firstAxis = () => `[1,${new Array(dimension - 1).fill(0).join(',')}]`;

/** The nearest chunks by cosine distance, under the caller's scope (policies/chunk.policy.ts). */
async function nearest(
  manager: EntityManager,
  principal: Principal,
  query: string,
  limit: number,
): Promise<{ id: string; organization_id: string }[]> {
  const scope = chunkScope(principal, 'c');
  const [sql, parameters] = running.dataSource.driver.escapeQueryWithParameters(
    `SELECT c.id, c.organization_id FROM search.chunks c
     WHERE ${scope.condition}
     ORDER BY c.embedding <=> CAST(:query AS vector) LIMIT :limit`,
    { ...scope.parameters, query, limit },
    {},
  );
  return manager.query(sql, parameters);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
  });
  running = await startSubgraph(searchSubgraph, config, createLogger('test', 'silent'), {
    port: 0,
  });
  const [column] = await running.dataSource.query<{ dimension: number }[]>(
    `SELECT atttypmod AS dimension FROM pg_attribute WHERE attrelid = 'search.chunks'::regclass AND attname = 'embedding'`,
  );
  dimension = column.dimension;
});

afterAll(async () => {
  await running?.stop();
  await database?.drop();
});

describe('the search index schema', () => {
  it('sizes the embedding column by EMBEDDING_DIM, read when the migration ran', () => {
    // The template database was migrated with this process's environment (jest globalSetup).
    expect(dimension).toBe(loadConfig().EMBEDDING_DIM);
  });

  it('has the HNSW (cosine), GIN, tenant and BM25 indexes retrieval needs', async () => {
    const rows = await running.dataSource.query<{ indexname: string; indexdef: string }[]>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'search'`,
    );
    const definitions = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    expect(definitions.chunks_embedding_hnsw).toMatch(
      /USING hnsw \(embedding (public\.)?vector_cosine_ops\)/,
    );
    expect(definitions.chunks_tsv).toMatch(/USING gin \(tsv\)/);
    expect(definitions.chunks_organization_document).toMatch(/\(organization_id, document_id\)/);
    expect(definitions.chunks_document_index).toMatch(/UNIQUE .*\(document_id, index\)/);
    expect(definitions.postings_impact).toMatch(
      /\(organization_id, lexeme, impact DESC\) INCLUDE \(chunk_id\)/,
    );
    expect(Object.keys(definitions)).toEqual(
      expect.arrayContaining(['postings_pkey', 'term_stats_pkey', 'corpus_stats_pkey']),
    );
  });

  it('keeps one chunk per document and index', async () => {
    const documentId = randomUUID();
    const insert = () =>
      running.dataSource.query(
        `INSERT INTO search.chunks (organization_id, document_id, index, text, token_count, embedding, embedding_model, tsv)
         VALUES ($1, $2, 0, 't', 1, $3::vector, 'test', ''::tsvector)`,
        [randomUUID(), documentId, firstAxis()],
      );
    await insert();
    await expect(insert()).rejects.toMatchObject({ code: '23505' });
  });

  it("finds an organization's nearest chunks through the HNSW index, never another's, without starving under the filter", async () => {
    const a = randomUUID();
    const b = randomUUID();
    // 1,000 unit vectors on a quarter circle (one connected HNSW graph): the 200 nearest the
    // query belong to B, the rest to A, so an unfiltered index scan meets only B's rows first.
    await running.dataSource.query(
      `INSERT INTO search.chunks (organization_id, document_id, index, text, token_count, embedding, embedding_model, tsv)
       SELECT CASE WHEN i < 200 THEN $1::uuid ELSE $2::uuid END, gen_random_uuid(), 0, 't', 1,
              (ARRAY[cos(i * pi() / 2000), sin(i * pi() / 2000)] || array_fill(0::float8, ARRAY[$3::int - 2]))::vector,
              'test', ''::tsvector
       FROM generate_series(0, 999) AS i`,
      [b, a, dimension],
    );
    await running.dataSource.query(`ANALYZE search.chunks`);
    const query = firstAxis();

    await running.dataSource.transaction(async (manager) => {
      // A small candidate list, so that without iterative scans B's rows fill all of it.
      await manager.query(`SET LOCAL hnsw.ef_search = 10`);
      const scope = chunkScope(member(a), 'c');
      const [sql, parameters] = running.dataSource.driver.escapeQueryWithParameters(
        `EXPLAIN SELECT c.id FROM search.chunks c WHERE ${scope.condition}
         ORDER BY c.embedding <=> CAST(:query AS vector) LIMIT 5`,
        { ...scope.parameters, query },
        {},
      );
      const plan = (await manager.query<{ 'QUERY PLAN': string }[]>(sql, parameters))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      expect(plan).toMatch(/Index Scan using chunks_embedding_hnsw/);

      // Without iterative scans the tenant filter starves the result.
      await manager.query(`SET LOCAL hnsw.iterative_scan = off`);
      expect((await nearest(manager, member(a), query, 5)).length).toBeLessThan(5);

      await manager.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      const hits = await nearest(manager, member(a), query, 5);
      expect(hits).toHaveLength(5);
      expect(hits.every((hit) => hit.organization_id === a)).toBe(true);

      const theirs = await nearest(manager, member(b), query, 5);
      expect(theirs).toHaveLength(5);
      expect(theirs.every((hit) => hit.organization_id === b)).toBe(true);
    });
  });
});
