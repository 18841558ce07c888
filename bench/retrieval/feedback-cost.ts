import 'reflect-metadata';
import { processCpuMs } from '../support/process-cpu';
import { benchDatabaseUrl, openBenchSearchDataSource } from '../support/database';
import { KeywordRetrieval } from '../../subgraphs/search/retrieval/bm25/keyword-retrieval';
import { DEFAULT_RELEVANCE_MODEL } from '../../subgraphs/search/retrieval/bm25/relevance-model';
import { loadCranfield } from './cranfield';

/**
 * What RM3 costs the keyword leg, on the organization bench:retrieval ingested (run it first):
 * the 225 Cranfield queries through KeywordRetrieval with and without feedback, as CPU time of
 * the one PostgreSQL backend serving them (from /proc: PostgreSQL must run on this machine) and
 * of this process, next to wall time — CPU time survives a loaded machine better than latency.
 * Also the postings each variant reads (Σ min(df, cap) over the terms it ranks).
 *
 * `node -r ts-node/register/transpile-only bench/retrieval/feedback-cost.ts`
 */
const ROUNDS = 2;

async function main(): Promise<void> {
  const dataSource = await openBenchSearchDataSource(benchDatabaseUrl('docent_bench_retrieval'), {
    poolSize: 1,
  });
  try {
    const [{ org, pid }] = await dataSource.query<Array<{ org: string; pid: number }>>(
      `SELECT (SELECT organization_id FROM search.chunks LIMIT 1) AS org, pg_backend_pid() AS pid`,
    );
    const backendMs = () => processCpuMs(pid);
    const df = new Map(
      (
        await dataSource.query<Array<{ lexeme: string; df: number }>>(
          `SELECT lexeme, df FROM search.term_stats WHERE organization_id = $1`,
          [org],
        )
      ).map((r) => [r.lexeme, r.df]),
    );
    // Counts the terms each ranking statement reads (its first array parameter).
    let ranked: string[][] = [];
    const query = dataSource.query.bind(dataSource);
    dataSource.query = (async (sql: string, parameters?: unknown[]) => {
      if (sql.includes('WITH terms'))
        ranked.push((parameters ?? []).find((p): p is string[] => Array.isArray(p)) ?? []);
      return query(sql, parameters);
    }) as typeof dataSource.query;

    const keyword = new KeywordRetrieval(dataSource);
    const { queries } = loadCranfield();
    for (let round = 1; round <= ROUNDS; round++)
      for (const feedback of [undefined, DEFAULT_RELEVANCE_MODEL]) {
        ranked = [];
        const backend = backendMs();
        const cpu = process.cpuUsage();
        const started = Date.now();
        for (const q of queries) await keyword.retrieve(org, q.text, 100, undefined, feedback);
        const own = process.cpuUsage(cpu);
        const postings = ranked.flat().reduce((s, l) => s + Math.min(df.get(l) ?? 0, 1_000), 0);
        const per = (x: number) => (x / queries.length).toFixed(1);
        console.log(
          `round ${round} ${feedback ? 'BM25 + RM3' : 'BM25      '}: PostgreSQL CPU ${per(backendMs() - backend)} ms/query, ` +
            `this process ${per((own.user + own.system) / 1000)} ms/query, wall ${per(Date.now() - started)} ms/query, ` +
            `postings read ${per(postings)}/query`,
        );
      }
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
