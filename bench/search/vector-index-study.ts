import 'reflect-metadata';
/**
 * `node -r ts-node/register/transpile-only bench/search/vector-index-study.ts` after a
 * bench:search run: recall@10 against exact search and latency of several vector-index
 * configurations of the bench database's current LSA version, each built the way the trainer
 * builds its partial index (`WHERE model_id = <id>`), with the build time and index size. The
 * same 100 queries as bench:search's recall curve; recall both ways (see vector-recall.ts):
 * strict (a hit counts when within 1e-6 of the exact 10th distance) and ann-benchmarks' (within
 * 1e-3). It drops and rebuilds the version's index: the bench database only. At the end the
 * version's index is rebuilt as the trainer builds it.
 *
 * STUDY: configurations separated by spaces, each `kind:param=value,...`:
 *   hnsw:m=16,efc=128,dims=256,type=vector   → searched at each EF (ef_search)
 *   ivfflat:lists=100,dims=256,type=vector   → searched at each PROBES
 * `dims` below the stored dimension indexes subvector(embedding, 1, dims) (the LSA rank; the
 * rest is zero padding); `type=halfvec` indexes half-precision vectors. WORKERS sets
 * max_parallel_maintenance_workers for the builds (PostgreSQL's default 2).
 * STUDY=current measures the index the trainer built, as it is (no build, nothing dropped): what
 * CANDIDATES and EF (ef_search of a graph, probes of lists) do on one given index, apart from
 * the randomness of building it.
 */
import { benchDatabaseUrl, openBenchSearchDataSource } from '../support/database';
import { LocalAiProvider } from '../../core/ai/local/local-ai-provider';
import { LocalQueryEmbedder } from '../../subgraphs/search/semantic/local-query-embedder';
import {
  buildLsaVersionIndex,
  dropLsaVersionIndex,
  lsaIndexedExpression,
  lsaIndexedQuery,
} from '../../subgraphs/search/semantic/lsa-vector-index';
import { createCorpus } from './synthetic-corpus';
import { summary } from './load';
import { loadavg } from 'node:os';

const STUDY = (process.env.STUDY ?? 'hnsw:m=16,efc=128').split(/\s+/).filter(Boolean);
const EF = (process.env.EF ?? '40,100,200,400,1000').split(',').map(Number);
const PROBES = (process.env.PROBES ?? '1,2,4,8,16,32').split(',').map(Number);
/**
 * Rows asked of the index before the exact top 10 is taken (CANDIDATES, default 10): above
 * ef_search, pgvector's iterative scan goes on exploring the graph (or further lists) for them.
 */
const CANDIDATES = (process.env.CANDIDATES ?? '10').split(',').map(Number);
const QUERIES = Number(process.env.QUERIES ?? 100);
const WORKERS = process.env.WORKERS;
const REBUILD = process.env.REBUILD !== '0';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const ds = await openBenchSearchDataSource(benchDatabaseUrl('docent_bench_search'), {
    poolSize: 2,
    statementTimeoutMs: 0,
  });
  const [m] = await ds.query<Array<{ id: string; organization_id: string; dimensions: number }>>(
    `SELECT id::text, organization_id, dimensions FROM search.lsa_models WHERE status='current'`,
  );
  const emb = new LocalQueryEmbedder(ds, new LocalAiProvider(256));
  const corpus = createCorpus(20_000, 7);
  const vs: string[] = [];
  for (let i = 0; i < QUERIES; i++)
    vs.push(
      `[${(await emb.embed(m.organization_id, corpus.query(i + 50_000_000))).vector.join(',')}]`,
    );
  const from = `FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
               WHERE c.organization_id = '${m.organization_id}' AND e.model_id = ${m.id}`;
  const exact: number[] = [];
  const exactMs: number[] = [];
  for (const v of vs) {
    const t0 = performance.now();
    const rows = await ds.query<Array<{ d: number }>>(
      `SELECT e.embedding <=> $1::vector AS d ${from} ORDER BY (e.embedding <=> $1::vector)+0 LIMIT 10`,
      [v],
    );
    exactMs.push(performance.now() - t0);
    exact.push(Number(rows[rows.length - 1].d));
  }
  console.log(
    `model ${m.id} (${m.dimensions} dimensions), ${QUERIES} queries, exact scan p50 ${summary(exactMs).p50.toFixed(1)} ms, load ${load()}`,
  );
  const run = async (label: string, expression: string, settings: string[], candidates: number) => {
    let strict = 0;
    let standard = 0;
    const ms: number[] = [];
    for (let q = 0; q < vs.length; q++) {
      const t0 = performance.now();
      const rows = await ds.transaction(async (mg) => {
        await mg.query(settings.join('; '));
        // Ranked by the index's expression, distances re-computed on the stored vectors.
        return mg.query<Array<{ d: number }>>(
          `WITH nearest AS MATERIALIZED (
             SELECT c.id, e.embedding <=> $1::vector AS d, ${expression} AS o ${from}
              ORDER BY o LIMIT ${candidates})
           SELECT d FROM nearest ORDER BY d LIMIT 10`,
          [vs[q]],
        );
      });
      ms.push(performance.now() - t0);
      strict += Math.min(10, rows.filter((r) => Number(r.d) <= exact[q] + 1e-6).length) / 10;
      standard += Math.min(10, rows.filter((r) => Number(r.d) <= exact[q] + 1e-3).length) / 10;
    }
    const s = summary(ms);
    console.log(
      `  ${label.padEnd(24)} recall strict ${(strict / vs.length).toFixed(3)} ann-benchmarks ${(standard / vs.length).toFixed(3)}  p50 ${s.p50.toFixed(1)} ms p95 ${s.p95.toFixed(1)} ms  (load ${load()})`,
    );
  };
  if (STUDY[0] === 'current') {
    // With the trainer's IVFFlat lists, EF stands for ivfflat.probes.
    const expression = `${lsaIndexedExpression('e', m.dimensions)} <=> ${lsaIndexedQuery('$1', m.dimensions)}`;
    for (const candidates of CANDIDATES)
      for (const ef of EF)
        await run(
          `ef_search/probes ${ef} rows ${candidates}`,
          expression,
          [
            `SELECT set_config('hnsw.ef_search', '${ef}', true), set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.max_scan_tuples', '50000', true), set_config('ivfflat.probes', '${ef}', true)`,
          ],
          candidates,
        );
    await ds.destroy();
    return;
  }
  await dropLsaVersionIndex(ds, m.id);
  for (const spec of STUDY) {
    const [kind, rest = ''] = spec.split(':');
    const p = Object.fromEntries(
      rest
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('=')),
    );
    const dims = Number(p.dims ?? 256);
    const type = p.type ?? 'vector';
    const column = dims < 256 ? `subvector(e.embedding, 1, ${dims})` : 'e.embedding';
    const plain = dims === 256 && type === 'vector';
    const indexed = plain ? '(embedding)' : `(${column.replace('e.', '')})::${type}(${dims})`;
    const expression = plain
      ? 'e.embedding <=> $1::vector'
      : `(${column})::${type}(${dims}) <=> (${dims < 256 ? `subvector($1::vector, 1, ${dims})` : '$1::vector'})::${type}(${dims})`;
    const ops = `${type}_cosine_ops`;
    const withs =
      kind === 'hnsw'
        ? `m = ${p.m ?? 16}, ef_construction = ${p.efc ?? 128}`
        : `lists = ${p.lists ?? 100}`;
    await ds.query(`DROP INDEX IF EXISTS search.lsa_study`);
    const t0 = Date.now();
    await ds.transaction(async (mg) => {
      await mg.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      if (WORKERS) await mg.query(`SET LOCAL max_parallel_maintenance_workers = ${WORKERS}`);
      await mg.query(
        `CREATE INDEX lsa_study ON search.lsa_embeddings USING ${kind} ((${indexed}) ${ops}) WITH (${withs}) WHERE model_id = ${m.id}`,
      );
    });
    const built = Date.now() - t0;
    const [{ size }] = await ds.query<Array<{ size: string }>>(
      `SELECT pg_size_pretty(pg_relation_size('search.lsa_study')) AS size`,
    );
    console.log(`${spec}: built in ${(built / 1000).toFixed(1)} s, ${size} (load ${load()})`);
    for (const candidates of CANDIDATES)
      if (kind === 'hnsw')
        for (const ef of EF)
          await run(
            `ef_search ${ef}${candidates > 10 ? ` rows ${candidates}` : ''}`,
            expression,
            [
              `SELECT set_config('hnsw.ef_search', '${ef}', true), set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.max_scan_tuples', '50000', true)`,
            ],
            candidates,
          );
      else
        for (const probes of PROBES)
          await run(
            `probes ${probes}${candidates > 10 ? ` rows ${candidates}` : ''}`,
            expression,
            [
              `SELECT set_config('ivfflat.probes', '${probes}', true), set_config('ivfflat.iterative_scan', 'relaxed_order', true)`,
            ],
            candidates,
          );
    await ds.query(`DROP INDEX search.lsa_study`);
  }
  if (REBUILD) {
    const t0 = Date.now();
    const [{ rows }] = await ds.query<Array<{ rows: number }>>(
      `SELECT count(*)::int AS rows FROM search.lsa_embeddings WHERE model_id = $1`,
      [m.id],
    );
    await buildLsaVersionIndex(ds, m.id, m.dimensions, rows);
    console.log(`the trainer's index rebuilt in ${Date.now() - t0} ms`);
  }
  await ds.destroy();
}
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
