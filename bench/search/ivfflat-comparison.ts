import 'reflect-metadata';
/**
 * `node -r ts-node/register/transpile-only bench/search/ivfflat-comparison.ts` after a
 * bench:search run: recall@10 and latency of an IVFFlat partial index (LISTS, default 316) on the
 * current LSA version of the bench database, by probes, next to bench:search's HNSW curve; then
 * the version's HNSW graph is rebuilt as the trainer builds it. The same 100 queries as
 * bench:search's recall curve. It drops and rebuilds indexes: the bench database only.
 */
import { benchDatabaseUrl, openBenchSearchDataSource } from '../support/database';
import { LocalAiProvider } from '../../core/ai/local/local-ai-provider';
import { LocalQueryEmbedder } from '../../subgraphs/search/semantic/local-query-embedder';
import {
  buildLsaVersionIndex,
  dropLsaVersionIndex,
} from '../../subgraphs/search/semantic/lsa-vector-index';
import { createCorpus } from './synthetic-corpus';
import { summary } from './load';
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
  for (let i = 0; i < 100; i++)
    vs.push(
      `[${(await emb.embed(m.organization_id, corpus.query(i + 50_000_000))).vector.join(',')}]`,
    );
  const exact: number[] = [];
  for (const v of vs) {
    const rows = await ds.query<Array<{ d: number }>>(
      `SELECT e.embedding <=> $1::vector AS d FROM search.lsa_embeddings e WHERE model_id = ${m.id} ORDER BY (e.embedding <=> $1::vector)+0 LIMIT 10`,
      [v],
    );
    exact.push(Number(rows[rows.length - 1].d));
  }
  const run = async (label: string, settings: string[]) => {
    let found = 0;
    const ms: number[] = [];
    for (let q = 0; q < vs.length; q++) {
      const t0 = performance.now();
      const rows = await ds.transaction(async (mg) => {
        for (const s of settings) await mg.query(s);
        return mg.query<Array<{ d: number }>>(
          `SELECT e.embedding <=> $1::vector AS d FROM search.lsa_embeddings e WHERE model_id = ${m.id} ORDER BY e.embedding <=> $1::vector LIMIT 10`,
          [vs[q]],
        );
      });
      ms.push(performance.now() - t0);
      found +=
        Math.min(10, rows.filter((r: { d: number }) => Number(r.d) <= exact[q] + 1e-6).length) / 10;
    }
    const s = summary(ms);
    console.log(
      `${label}: recall ${(found / vs.length).toFixed(3)} p50 ${s.p50.toFixed(1)} ms p95 ${s.p95.toFixed(1)} ms`,
    );
  };
  await dropLsaVersionIndex(ds, m.id);
  const lists = Number(process.env.LISTS ?? 316);
  let t0 = Date.now();
  await ds.query(
    `CREATE INDEX lsa_ivf_probe ON search.lsa_embeddings USING ivfflat (embedding vector_cosine_ops) WITH (lists = ${lists}) WHERE model_id = ${m.id}`,
  );
  console.log(`ivfflat lists ${lists} built in ${Date.now() - t0} ms`);
  for (const probes of [5, 10, 20, 40, 80])
    await run(`ivfflat probes ${probes}`, [`SET LOCAL ivfflat.probes = ${probes}`]);
  await ds.query(`DROP INDEX search.lsa_ivf_probe`);
  t0 = Date.now();
  await buildLsaVersionIndex(ds, m.id, m.dimensions);
  console.log(`hnsw rebuilt in ${Date.now() - t0} ms`);
  await ds.destroy();
}
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
