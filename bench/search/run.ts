import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createAiProvider } from '../../core/ai';
import { loadConfig } from '../../core/config/config';
import { startSubgraph, type RunningSubgraph } from '../../core/graphql/subgraph';
import { createLogger } from '../../core/logging/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { subgraphByName } from '../../ops/subgraphs';
import { LocalQueryEmbedder } from '../../subgraphs/search/semantic/local-query-embedder';
import { LsaChunkFolder } from '../../subgraphs/search/semantic/lsa-chunk-folder';
import { IndexDocumentService } from '../../subgraphs/search/services/index-document.service';
import {
  benchDatabaseUrl,
  freshBenchDatabase,
  openBenchSearchDataSource,
} from '../support/database';
import { postGraphql } from '../support/graphql';
import { CpuMeter } from '../support/process-cpu';
import { startRoleProcess, stopProcesses } from '../support/processes';
import { runLoad, summary, type LoadResult } from './load';
import { explainStatements, StatementCapture } from './statement-capture';
import { createCorpus, type SyntheticCorpus } from './synthetic-corpus';
import { printTraining, trainBenchModel } from './train-model';
import { recallCurve } from './vector-recall';

/**
 * `npm run bench:search`: search and ask latency through the gateway at 100,000 chunks, LSA
 * training at that size, and the vector index's recall@10 against exact search.
 *
 * The corpus is synthetic with topical structure (./synthetic-corpus.ts: a Zipf-distributed
 * vocabulary of made-up words in sentences, half of each document's words from its topic's own
 * ranking) and goes straight through search's own IndexDocumentService in this process —
 * chunking, tsvector, BM25 postings and statistics, LSA fold-in, exactly what the index job
 * does — because pushing 100,000 chunks through the documents pipeline would take far longer
 * and measure the pipeline, which bench:pipeline does. Then the organization's LSA model is
 * trained by the product's trainer (./train-model.ts), so SEMANTIC, HYBRID and the recall
 * figures are on LSA vectors as in production, not on hashed vectors.
 *
 * Then: recall@10 of the vector path against exact search with the product's settings and
 * several IVFFlat probes or HNSW ef_search values (the trade-off curve); one request of each operation with its SQL statements counted and EXPLAIN
 * ANALYZEd (plans at this size); accounts, search and the gateway serve in this process, and 1
 * then 20 clients (BENCH_CLIENTS) send `search` in each mode and `ask` (local provider) through
 * the gateway, with the response cache off so every request is answered: latency at the
 * client, throughput, this process's CPU per request (gateway + search + clients; PostgreSQL's
 * is not in it) and statements per request. Queries are 1–4 words of one topic drawn from the
 * corpus's own vocabulary; questions are phrased from words of a random chunk.
 *
 * Settings: BENCH_CHUNKS (100000), BENCH_CHUNK_TOKENS (100), BENCH_REQUESTS per mode (2000),
 * BENCH_CLIENTS (20), BENCH_INDEX_PARALLEL (3), BENCH_RECALL_QUERIES (100), BENCH_PROBES and
 * BENCH_EF (the curve's ivfflat.probes and hnsw.ef_search values, comma-separated: 100,200,400
 * and none); BENCH_REUSE=1 measures again on the corpus
 * the previous run left in the bench database (no indexing), BENCH_RETRAIN=1 trains again.
 */
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const CHUNK_TOKENS = Number(process.env.BENCH_CHUNK_TOKENS ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const INDEX_PARALLEL = Number(process.env.BENCH_INDEX_PARALLEL ?? 3);
const CHUNKS_PER_DOCUMENT = 100;
const REUSE = process.env.BENCH_REUSE === '1';
const RETRAIN = process.env.BENCH_RETRAIN === '1';
const RECALL_QUERIES = Number(process.env.BENCH_RECALL_QUERIES ?? 100);
const listOf = (value: string) => value.split(',').filter(Boolean).map(Number);
/** Overrides of the recall curve, beside the product's own settings. */
const CURVE = [
  ...listOf(process.env.BENCH_PROBES ?? '100,200,400').map((probes) => ({ probes })),
  ...listOf(process.env.BENCH_EF ?? '').map((efSearch) => ({ efSearch })),
];
/** BENCH_ROLES=processes: accounts, search and the gateway each in its own process (as deployed). */
const SEPARATE = process.env.BENCH_ROLES === 'processes';

const BASE_PORT = 4540; // bench:retrieval uses 4440+, bench:pipeline 4340+, bench:realtime 4200+
const DATABASE = 'docent_bench_search';
const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) =>
  role === 'gateway' ? BASE_PORT : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]);
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;

function post<T>(query: string, variables: object, token?: string): Promise<T> {
  return postGraphql<T>(url('gateway'), query, variables, token);
}

const SEARCH = `query Bench($q: String!, $mode: SearchMode) {
  search(query: $q, first: 10, mode: $mode) { hits { document { id } chunk { id index } score highlight } tookMs }
}`;
const ASK = `query BenchAsk($q: String!) {
  ask(question: $q) { answer grounded citations { quote chunk { id } document { id } } tookMs }
}`;

async function indexCorpus(
  corpus: SyntheticCorpus,
  organizationId: string,
  databaseUrl: string,
  config: ReturnType<typeof loadConfig>,
): Promise<{ chunks: number; ms: number }> {
  const dataSource = await openBenchSearchDataSource(databaseUrl, {
    poolSize: INDEX_PARALLEL + 1,
    statementTimeoutMs: 600_000,
  });
  try {
    const ai = createAiProvider(config);
    const indexer = new IndexDocumentService(
      dataSource,
      ai,
      { targetTokens: CHUNK_TOKENS, overlapTokens: Math.round(CHUNK_TOKENS / 10) },
      new LsaChunkFolder(ai.dimensions),
    );
    const documents = Math.ceil(CHUNKS / CHUNKS_PER_DOCUMENT);
    const started = Date.now();
    let next = 0;
    let chunks = 0;
    const categories = ['contract', 'invoice', 'policy', 'report', 'other'];
    await Promise.all(
      Array.from({ length: INDEX_PARALLEL }, async () => {
        // The chunker's token count decides how many chunks a document makes: stop at CHUNKS.
        while (chunks < CHUNKS && next < documents * 4) {
          const n = next++;
          const documentId = randomUUID();
          const text = corpus.document(n, CHUNKS_PER_DOCUMENT * CHUNK_TOKENS);
          const result = await indexer.execute({
            organizationId,
            documentId,
            pages: [{ page: 1, text }],
            language: 'en',
          });
          chunks += result.chunkCount;
          await dataSource.query(
            `INSERT INTO search.document_facets (document_id, organization_id, category, tags, created_at)
             VALUES ($1, $2, $3, $4, now() - make_interval(days => $5))`,
            [
              documentId,
              organizationId,
              categories[n % categories.length],
              [`batch-${n % 10}`],
              n % 365,
            ],
          );
          if ((n + 1) % 50 === 0 && process.stdout.isTTY)
            process.stdout.write(
              `\r  indexed ${n + 1}/${documents} documents, ${chunks} chunks, ${((Date.now() - started) / 1000).toFixed(0)} s`,
            );
        }
      }),
    );
    if (process.stdout.isTTY) process.stdout.write('\n');
    await dataSource.query('ANALYZE search.chunks');
    await dataSource.query('ANALYZE search.postings');
    await dataSource.query('ANALYZE search.document_facets');
    return { chunks, ms: Date.now() - started };
  } finally {
    await dataSource.destroy();
  }
}

interface Costs {
  /** ms of CPU by process: 'bench' (this one), each role run as its own process, 'postgres'. */
  cpuMs: Map<string, number>;
  /** Statements sent by this process's pg clients (none when the roles run apart). */
  statements: number;
}

const CPU_COLUMNS = ['bench', 'gateway', 'search', 'postgres'] as const;

function printRow(label: string, result: LoadResult, costs: Costs): void {
  const s = summary(result.latencies);
  const server = summary(result.serverMs);
  const n = result.latencies.length;
  const cpu = (name: string) => {
    const ms = costs.cpuMs.get(name);
    return ms === undefined ? '-' : (ms / n).toFixed(1);
  };
  const cells = [
    String(n).padStart(6),
    s.p50.toFixed(1).padStart(8),
    s.p95.toFixed(1).padStart(8),
    s.p99.toFixed(1).padStart(8),
    (n / (result.ms / 1000)).toFixed(0).padStart(7),
    String(result.errors).padStart(6),
    server.p50.toFixed(0).padStart(10),
    server.p95.toFixed(0).padStart(10),
    ...CPU_COLUMNS.map((name) => cpu(name).padStart(name.length + 4)),
    (SEPARATE ? '-' : (costs.statements / n).toFixed(1)).padStart(8),
  ];
  console.log(`${label.padEnd(26)} ${cells.join(' ')}`);
}

const HEADER = `${'operation'.padEnd(26)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(7)} ${'errors'.padStart(6)} ${'tookMs p50'.padStart(10)} ${'tookMs p95'.padStart(10)} ${CPU_COLUMNS.map((name) => name.padStart(name.length + 4)).join(' ')} ${'sql/req'.padStart(8)}`;

/**
 * A load run with the CPU of this process, of each role process and of the bench database's
 * PostgreSQL backends (ms per request in the table), and the SQL statements it sent.
 */
async function costed(
  capture: StatementCapture,
  meter: CpuMeter,
  run: () => Promise<LoadResult>,
): Promise<[LoadResult, Costs]> {
  await meter.start();
  const sent = capture.sent;
  const result = await run();
  const cpuMs = await meter.stop();
  return [result, { cpuMs, statements: capture.sent - sent }];
}

/** Each operation with `clients` concurrent clients (queries of their own: no cache hits). */
async function measure(
  corpus: SyntheticCorpus,
  capture: StatementCapture,
  meter: CpuMeter,
  token: string,
  clients: number,
  requests: number,
): Promise<void> {
  const offset = clients * 100_000;
  for (const mode of ['KEYWORD', 'SEMANTIC', 'HYBRID']) {
    await runLoad(url('gateway'), token, clients, Math.min(100, requests), (i) => ({
      query: SEARCH,
      variables: { q: corpus.query(i + 10_000_000 + offset), mode },
    }));
    const [result, costs] = await costed(capture, meter, () =>
      runLoad(url('gateway'), token, clients, requests, (i) => ({
        query: SEARCH,
        variables: { q: corpus.query(i + offset), mode },
      })),
    );
    printRow(`search ${mode} x${clients}`, result, costs);
  }
  const asks = Math.max(50, Math.round(requests / 4));
  const [ask, costs] = await costed(capture, meter, () =>
    runLoad(url('gateway'), token, clients, asks, (i) => ({
      query: ASK,
      variables: { q: corpus.question(i + offset) },
    })),
  );
  printRow(`ask (local) x${clients}`, ask, costs);
}

const PASSWORD = 'Correct-horse-battery-9';

async function signUpBench(): Promise<string> {
  const { signUp } = await post<{ signUp: { accessToken: string } }>(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
    {
      input: {
        email: `bench-${Date.now()}@example.com`,
        password: PASSWORD,
        name: 'Bench',
        organizationName: 'Search bench',
      },
    },
  );
  return signUp.accessToken;
}

/** The previous run's user (the bench database's newest), signed in again. */
async function loginAgain(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client
    .query<{ email: string }>(`SELECT email FROM accounts.users ORDER BY created_at DESC LIMIT 1`)
    .finally(() => client.end());
  if (!rows[0]) throw new Error('BENCH_REUSE: no previous run in the bench database');
  const { login } = await post<{ login: { accessToken: string } }>(
    'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { email: rows[0].email, password: PASSWORD } },
  );
  return login.accessToken;
}

async function main(): Promise<void> {
  // BENCH_REUSE=1: measure again on the corpus a previous run left in the bench database.
  const databaseUrl = REUSE ? benchDatabaseUrl(DATABASE) : await freshBenchDatabase(DATABASE);
  const dataDir = mkdtempSync(join(tmpdir(), 'docent-bench-search-'));
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `bench-search-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port('gateway')}`,
    GATEWAY_PORT: String(port('gateway')),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_USER: '0',
    RESPONSE_CACHE: 'false',
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  Object.assign(process.env, env);
  const config = loadConfig(process.env);
  const logger = createLogger('bench-search', 'warn');
  const servers: RunningSubgraph[] = [];
  let gateway: RunningGateway | undefined;
  const children: ChildProcess[] = [];
  const rolePids = new Map<string, number>([['bench', process.pid]]);
  const capture = new StatementCapture();
  capture.install();
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    if (SEPARATE) {
      for (const role of ['accounts', 'search', 'gateway'] as const) {
        const child = await startRoleProcess(role, env, port(role));
        children.push(child);
        if (role !== 'accounts') rolePids.set(role, child.pid!);
      }
    } else {
      for (const role of ['accounts', 'search'] as const)
        servers.push(await startSubgraph(subgraphByName(role), config, logger));
      gateway = await startGateway(config, logger, { port: port('gateway') });
    }
    const meter = new CpuMeter(admin, DATABASE, rolePids);
    let token = REUSE ? await loginAgain(databaseUrl) : await signUpBench();
    const organizationId = (
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, string>
    ).org;

    const corpus = createCorpus(20_000, 7);
    if (REUSE) {
      const pool = new Client({ connectionString: databaseUrl });
      await pool.connect();
      const { rows } = await pool
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM search.chunks WHERE organization_id = $1`,
          [organizationId],
        )
        .finally(() => pool.end());
      console.log(`Reusing the previous run's ${rows[0].n} chunks`);
    } else {
      console.log(
        `Indexing ${CHUNKS} synthetic chunks (chunks of ~${CHUNK_TOKENS} tokens from documents of ${CHUNKS_PER_DOCUMENT * CHUNK_TOKENS} words) with search's IndexDocumentService, provider ${config.AI_PROVIDER}, ${INDEX_PARALLEL} in parallel`,
      );
      const indexed = await indexCorpus(corpus, organizationId, databaseUrl, config);
      console.log(
        `Indexed ${indexed.chunks} chunks in ${(indexed.ms / 1000).toFixed(0)} s (${(indexed.chunks / (indexed.ms / 1000)).toFixed(0)} chunks/s)`,
      );
    }

    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    const dataSource = await openBenchSearchDataSource(databaseUrl, {
      statementTimeoutMs: 600_000,
    });
    try {
      console.log(`\nload average before training: ${load()}`);
      printTraining(
        await trainBenchModel(dataSource, organizationId, config.EMBEDDING_DIM, RETRAIN),
      );
      await dataSource.query('ANALYZE search.lsa_embeddings');

      console.log(`\nload average before the recall curve: ${load()}`);
      const ai = createAiProvider(config);
      const curve = await recallCurve(
        dataSource,
        new LocalQueryEmbedder(dataSource, ai),
        organizationId,
        Array.from({ length: RECALL_QUERIES }, (_, i) => corpus.query(i + 50_000_000)),
        CURVE,
      );
      const exactS = summary(curve.exactMs);
      console.log(
        `Recall@10 of search's vector path vs exact, ${RECALL_QUERIES} queries, model ${curve.model} (exact scan p50 ${exactS.p50.toFixed(1)} ms):`,
      );
      console.log(
        `  ${'setting'.padEnd(14)} ${'recall@10'.padStart(9)} ${'(1e-6)'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}   recall@10: ann-benchmarks' (within 1e-3 of the 10th distance); (1e-6): this bench's figure before 2026-12`,
      );
      for (const point of curve.points)
        console.log(
          `  ${point.setting.padEnd(14)} ${point.recall.toFixed(3).padStart(9)} ${point.strictRecall.toFixed(3).padStart(8)} ${point.p50.toFixed(1).padStart(8)} ${point.p95.toFixed(1).padStart(8)}`,
        );

      // Indexing 100,000 chunks outlasts an access token: sign in again before the requests.
      token = await loginAgain(databaseUrl);
      // One request of each operation: its statements and their plans at this size (the
      // statements are this process's: with the roles apart there are none to capture).
      for (const mode of SEPARATE ? [] : ['KEYWORD', 'SEMANTIC', 'HYBRID']) {
        const { statements } = await capture.record(() =>
          post(SEARCH, { q: corpus.query(60_000_000), mode }, token),
        );
        await explainStatements(dataSource, `search ${mode}`, statements);
      }
      if (!SEPARATE) {
        const { statements } = await capture.record(() =>
          post(ASK, { q: corpus.question(60_000_000) }, token),
        );
        await explainStatements(dataSource, 'ask (local)', statements);
      }
    } finally {
      await dataSource.destroy();
    }

    console.log(
      `\n1 then ${CLIENTS} concurrent clients through the gateway, response cache off, ${SEPARATE ? 'gateway, search and accounts each in its own process' : 'gateway, search and accounts in this process'}, ${cpus().length} CPUs, load average before: ${load()}`,
    );
    console.log(
      "CPU ms per request of: bench (this process: the clients, and the roles unless apart), gateway, search, postgres (the bench database's backends)",
    );
    console.log(HEADER);
    // One client first: the service time of one request on this machine, without queueing.
    await measure(corpus, capture, meter, token, 1, Math.max(50, Math.round(REQUESTS / 10)));
    await measure(corpus, capture, meter, token, CLIENTS, REQUESTS);
    console.log(`load average after: ${load()}`);
    console.log(
      '\nTargets: search p95 < 50 ms, ask (local) p95 < 300 ms, recall@10 >= 0.95. ' +
        'Latency is measured at the client, through the gateway (one subgraph hop, documents not hydrated).',
    );
  } finally {
    await stopProcesses(children.reverse());
    await gateway?.stop();
    for (const server of servers.reverse()) await server.stop();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
