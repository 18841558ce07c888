import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createAiProvider } from '../../core/ai';
import type { Principal } from '../../core/auth/principal';
import { Role } from '../../core/auth/role';
import { loadConfig } from '../../core/config/config';
import { createSubgraphDataSource } from '../../core/db/data-source';
import { startSubgraph, type RunningSubgraph } from '../../core/graphql/subgraph';
import { createLogger } from '../../core/logging/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { subgraphByName } from '../../ops/subgraphs';
import { VectorRetrieval } from '../../subgraphs/search/retrieval/vector-retrieval';
import { chunkScope } from '../../subgraphs/search/policies/chunk.policy';
import { IndexDocumentService } from '../../subgraphs/search/services/index-document.service';
import { freshBenchDatabase } from '../support/database';
import { createCorpus, type SyntheticCorpus } from './synthetic-corpus';
import { runLoad, summary, type LoadResult } from './load';
import { postGraphql } from '../support/graphql';

/**
 * `npm run bench:search`: search and ask latency through the gateway at 100,000 chunks, and the
 * HNSW index's recall@10 against exact search.
 *
 * The corpus is synthetic (./synthetic-corpus.ts: a Zipf-distributed vocabulary of made-up
 * words in sentences) and goes straight through search's own IndexDocumentService in this
 * process — chunking, embedding with the configured provider (local: hashed vectors), tsvector,
 * BM25 postings and statistics, exactly what the index job does — because pushing 100,000
 * chunks through the documents pipeline would take far longer and measure the pipeline, which
 * bench:pipeline does. No LSA model is trained here (bench:retrieval measures that): the
 * SEMANTIC leg runs on the hashed vectors.
 *
 * Then accounts, search and the gateway serve (in this process: on the shared, loaded machine a
 * role process took over a minute just to start; the clients' own work is small next to the
 * servers'), and 20 clients (BENCH_CLIENTS) send `search` in each mode and `ask` (local
 * provider) through the gateway, with the response cache off so every request is answered. Queries are 1–4 words drawn from
 * the corpus's own vocabulary with its frequencies; questions are phrased from words of a
 * random chunk.
 *
 * Settings: BENCH_CHUNKS (100000), BENCH_CHUNK_TOKENS (100), BENCH_REQUESTS per mode (2000),
 * BENCH_CLIENTS (20), BENCH_INDEX_PARALLEL (3); BENCH_REUSE=1 measures again on the corpus the
 * previous run left in the bench database (no indexing).
 */
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const CHUNK_TOKENS = Number(process.env.BENCH_CHUNK_TOKENS ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const INDEX_PARALLEL = Number(process.env.BENCH_INDEX_PARALLEL ?? 3);
const CHUNKS_PER_DOCUMENT = 100;
const REUSE = process.env.BENCH_REUSE === '1';
const RECALL_QUERIES = 200;

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
  const dataSource = createSubgraphDataSource({
    url: databaseUrl,
    schema: 'search',
    entities: [],
    migrations: [],
    poolSize: INDEX_PARALLEL + 1,
    statementTimeoutMs: 600_000,
  });
  await dataSource.initialize();
  try {
    const indexer = new IndexDocumentService(dataSource, createAiProvider(config), {
      targetTokens: CHUNK_TOKENS,
      overlapTokens: Math.round(CHUNK_TOKENS / 10),
    });
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

/** recall@10 of the HNSW path search uses (VectorRetrieval) against an exact scan. */
async function hnswRecall(
  corpus: SyntheticCorpus,
  organizationId: string,
  databaseUrl: string,
  config: ReturnType<typeof loadConfig>,
): Promise<{ recall: number; annMs: number[]; exactMs: number[] }> {
  const ai = createAiProvider(config);
  const dataSource = createSubgraphDataSource({
    url: databaseUrl,
    schema: 'search',
    entities: [],
    migrations: [],
    poolSize: 2,
    statementTimeoutMs: 600_000,
  });
  await dataSource.initialize();
  try {
    const vectors = new VectorRetrieval(dataSource);
    const principal: Principal = {
      kind: 'user',
      userId: randomUUID(),
      organizationId,
      role: Role.MEMBER,
    };
    const scope = chunkScope(principal, 'c');
    let found = 0;
    let counted = 0;
    const annMs: number[] = [];
    const exactMs: number[] = [];
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const [vector] = await ai.embed([corpus.query(i)]);
      const t0 = performance.now();
      const ann = await vectors.nearest(organizationId, { model: ai.embeddingModel, vector }, 10);
      annMs.push(performance.now() - t0);
      const t1 = performance.now();
      const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
        `SELECT c.id, c.embedding <=> CAST(:vector AS vector) AS distance
           FROM search.chunks c WHERE ${scope.condition} AND c.embedding_model = :model
          ORDER BY (c.embedding <=> CAST(:vector AS vector)) + 0 LIMIT 10`,
        { ...scope.parameters, model: ai.embeddingModel, vector: `[${vector.join(',')}]` },
        {},
      );
      const exact = await dataSource.query<Array<{ id: string; distance: number }>>(
        sql,
        parameters,
      );
      exactMs.push(performance.now() - t1);
      if (exact.length === 0) continue;
      // Ties: a hit as near as the exact 10th is as good as the one exact search happened to list.
      const tenth = exact[exact.length - 1].distance;
      const [annSql, annParameters] = dataSource.driver.escapeQueryWithParameters(
        `SELECT c.id, c.embedding <=> CAST(:vector AS vector) AS distance
           FROM search.chunks c WHERE ${scope.condition} AND c.id = ANY(CAST(:ids AS uuid[]))`,
        { ...scope.parameters, ids: ann.map((h) => h.chunkId), vector: `[${vector.join(',')}]` },
        {},
      );
      const annRows = await dataSource.query<Array<{ id: string; distance: number }>>(
        annSql,
        annParameters,
      );
      const good = annRows.filter((row) => row.distance <= tenth + 1e-6).length;
      found += Math.min(good, exact.length) / exact.length;
      counted++;
    }
    return { recall: found / Math.max(1, counted), annMs, exactMs };
  } finally {
    await dataSource.destroy();
  }
}

function printRow(label: string, result: LoadResult): void {
  const s = summary(result.latencies);
  const server = summary(result.serverMs);
  const cells = [
    String(result.latencies.length).padStart(6),
    s.p50.toFixed(1).padStart(8),
    s.p95.toFixed(1).padStart(8),
    s.p99.toFixed(1).padStart(8),
    (result.latencies.length / (result.ms / 1000)).toFixed(0).padStart(7),
    String(result.errors).padStart(6),
    server.p50.toFixed(0).padStart(10),
    server.p95.toFixed(0).padStart(10),
  ];
  console.log(`${label.padEnd(26)} ${cells.join(' ')}`);
}

const HEADER = `${'operation'.padEnd(26)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(7)} ${'errors'.padStart(6)} ${'tookMs p50'.padStart(10)} ${'tookMs p95'.padStart(10)}`;

/** Each operation with `clients` concurrent clients. */
async function measure(
  corpus: SyntheticCorpus,
  token: string,
  clients: number,
  requests: number,
): Promise<void> {
  for (const mode of ['KEYWORD', 'SEMANTIC', 'HYBRID']) {
    await runLoad(url('gateway'), token, clients, Math.min(100, requests), (i) => ({
      query: SEARCH,
      variables: { q: corpus.query(i + 1_000_000), mode },
    }));
    const result = await runLoad(url('gateway'), token, clients, requests, (i) => ({
      query: SEARCH,
      variables: { q: corpus.query(i), mode },
    }));
    printRow(`search ${mode} x${clients}`, result);
  }
  const asks = Math.max(50, Math.round(requests / 4));
  const ask = await runLoad(url('gateway'), token, clients, asks, (i) => ({
    query: ASK,
    variables: { q: corpus.question(i) },
  }));
  printRow(`ask (local) x${clients}`, ask);
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
  const databaseUrl = REUSE
    ? `${process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'}/${DATABASE}`
    : await freshBenchDatabase(DATABASE);
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
  try {
    for (const role of ['accounts', 'search'] as const)
      servers.push(await startSubgraph(subgraphByName(role), config, logger));
    gateway = await startGateway(config, logger, { port: port('gateway') });
    const token = REUSE ? await loginAgain(databaseUrl) : await signUpBench();
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

    const recall = await hnswRecall(corpus, organizationId, databaseUrl, config);
    const annS = summary(recall.annMs);
    const exactS = summary(recall.exactMs);
    console.log(
      `HNSW recall@10 vs exact over ${RECALL_QUERIES} queries: ${recall.recall.toFixed(3)} (search's vector path p50 ${annS.p50.toFixed(1)} ms / p95 ${annS.p95.toFixed(1)} ms; exact scan p50 ${exactS.p50.toFixed(1)} ms)`,
    );

    console.log(
      `\n${CLIENTS} concurrent clients through the gateway, response cache off, ${cpus().length} CPUs, load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(HEADER);
    // One client first: the service time of one request on this machine, without queueing.
    await measure(corpus, token, 1, Math.max(50, Math.round(REQUESTS / 10)));
    await measure(corpus, token, CLIENTS, REQUESTS);
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      '\nTargets: search p95 < 50 ms, ask (local) p95 < 300 ms, recall@10 >= 0.95. ' +
        'Latency is measured at the client, through the gateway (one subgraph hop, documents not hydrated).',
    );
  } finally {
    await gateway?.stop();
    for (const server of servers.reverse()) await server.stop();
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
