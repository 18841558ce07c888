import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freshBenchDatabase } from '../support/database';
import { startRoleProcess, stopProcesses } from '../support/processes';
import { postGraphql } from '../support/graphql';

/**
 * `npm run bench:gateway`: throughput and latency of a query mix over 1,000 seeded documents
 * (`documents(first: 20)`, the same with `uploadedBy` from accounts: one entity hop, and `me`),
 * through Docent's gateway without and with its response cache, through Hive Gateway
 * (`@graphql-hive/gateway`'s runtime) without and with its response cache over the same
 * supergraph and subgraphs, and straight to the documents subgraph; each in its own process,
 * same machine, same run. BENCH_DURATION (seconds, default 20), BENCH_CONNECTIONS (default 50)
 * and BENCH_ROUNDS (default 1; rounds alternate the order) tune it.
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DOCUMENTS = 1_000;
const BASE_PORT = 4100;
const DATABASE = 'docent_bench_gateway';

const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) =>
  role === 'gateway' ? BASE_PORT : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]);
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;
const CACHED_GATEWAY_PORT = BASE_PORT + 7;
const HIVE_PORT = BASE_PORT + 8;
const HIVE_CACHED_PORT = BASE_PORT + 9;

const LIST_QUERY =
  'query List { documents(first: 20) { totalCount edges { cursor node { id title status tags createdAt } } pageInfo { hasNextPage endCursor } } }';
const HOP_QUERY =
  'query ListWithUploaders { documents(first: 20) { edges { node { id title uploadedBy { id name email } } } } }';
const ME_QUERY = 'query Me { me { role user { id email } organization { id name } } }';
const MIX = [LIST_QUERY, HOP_QUERY, ME_QUERY];

/** `hive-gateway` (the CLI of @graphql-hive/gateway) in its own process, ready when it answers a query. */
async function startHive(
  supergraph: string,
  hivePort: number,
  cached: boolean,
  token: string,
): Promise<ChildProcess> {
  const bin = join(__dirname, '../../node_modules/@graphql-hive/gateway/dist/bin.cjs');
  const child = spawn(
    process.execPath,
    [
      bin,
      'supergraph',
      supergraph,
      '--port',
      String(hivePort),
      '--config-path',
      join(__dirname, 'hive.config.mjs'),
    ],
    {
      cwd: join(__dirname, '../..'),
      // Not production: the CLI would fork a worker per core; both gateways get one process.
      env: { ...process.env, HIVE_CACHE: String(cached), NODE_ENV: 'development' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hive gateway exited with ${child.exitCode}`);
    const ok = await post(`http://127.0.0.1:${hivePort}/graphql`, ME_QUERY, {}, token).then(
      () => true,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('hive gateway did not start');
}

function post(target: string, query: string, variables: object, token?: string) {
  return postGraphql(target, query, variables, token);
}

async function load(target: string, token: string, queries = MIX) {
  const result = await autocannon({
    url: target,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: queries.map((query) => ({ body: JSON.stringify({ query }) })),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  const databaseUrl = await freshBenchDatabase(DATABASE);

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: 'bench-gateway',
    GATEWAY_PORT: String(port('gateway')),
    LOGIN_MAX_FAILURES: '1000',
    // One token drives the whole load: the bench measures the gateway, not its rate limits.
    RATE_LIMIT_PER_USER: '0',
    RATE_LIMIT_PER_IP: '0',
    RESPONSE_CACHE: 'false',
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  const children = [];
  try {
    for (const role of [...roles, 'gateway'])
      children.push(await startRoleProcess(role, env, port(role)));
    children.push(
      await startRoleProcess(
        'gateway',
        { ...env, GATEWAY_PORT: String(CACHED_GATEWAY_PORT), RESPONSE_CACHE: 'true' },
        CACHED_GATEWAY_PORT,
      ),
    );

    const signUp = await post(
      url('gateway'),
      'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      {
        input: {
          email: `bench-${Date.now()}@example.com`,
          password: 'bench-Password-123',
          name: 'Bench',
          organizationName: 'Bench Inc',
        },
      },
    );
    const token = (signUp.signUp as { accessToken: string }).accessToken;
    const create =
      'mutation($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }';
    for (let start = 0; start < DOCUMENTS; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, DOCUMENTS - start) }, (_, i) =>
          post(
            url('documents'),
            create,
            {
              input: {
                title: `Agreement ${start + i}`,
                text: `Master services agreement number ${start + i}.`,
                tags: ['bench'],
              },
            },
            token,
          ),
        ),
      );
    }
    const check = await post(url('gateway'), LIST_QUERY, {}, token);
    const total = (check.documents as { totalCount: number }).totalCount;

    // The same supergraph, pointing at this run's subgraphs.
    let supergraphSdl = readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    for (const role of roles)
      supergraphSdl = supergraphSdl.replace(
        new RegExp(`(@join__graph\\(name: "${role}", url: ")[^"]+`),
        `$1${url(role)}`,
      );
    const supergraph = join(tmpdir(), 'docent-bench-supergraph.graphql');
    writeFileSync(supergraph, supergraphSdl);
    children.push(await startHive(supergraph, HIVE_PORT, false, token));
    children.push(await startHive(supergraph, HIVE_CACHED_PORT, true, token));

    const targets: [string, string][] = [
      ['docent gateway', url('gateway')],
      ['docent gateway, cached', `http://127.0.0.1:${CACHED_GATEWAY_PORT}/graphql`],
      ['hive gateway', `http://127.0.0.1:${HIVE_PORT}/graphql`],
      ['hive gateway, cached', `http://127.0.0.1:${HIVE_CACHED_PORT}/graphql`],
    ];
    // Same answers everywhere before anything is measured.
    for (const query of MIX) {
      const answers = await Promise.all(
        targets.map(([, target]) => post(target, query, {}, token)),
      );
      for (const answer of answers.slice(1))
        if (JSON.stringify(answer) !== JSON.stringify(answers[0]))
          throw new Error(`answers differ for ${query}`);
    }
    console.log(
      `seeded ${total} documents; query mix of ${MIX.length} operations; ${CONNECTIONS} connections, ${DURATION} s each, ${ROUNDS} round(s)`,
    );
    // Figures from a shared or busy machine are not comparable with a quiet one's: say which.
    const loadAverage = () =>
      loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(`load average before: ${loadAverage()} (${cpus().length} cores)\n`);

    type Result = Awaited<ReturnType<typeof load>>;
    const results = new Map<string, Result[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const [name, target] of order) {
        const result = await load(target, token);
        results.set(name, [...(results.get(name) ?? []), result]);
      }
    }
    const direct = await load(url('documents'), token, [LIST_QUERY]).catch(() => null);
    const mean = (name: string): Result => {
      const runs = results.get(name)!;
      const avg = (pick: (r: Result) => number) =>
        runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
      return {
        rps: avg((r) => r.rps),
        p50: avg((r) => r.p50),
        p99: avg((r) => r.p99),
        errors: avg((r) => r.errors),
      };
    };
    const row = (name: string, r: Result) =>
      `${name.padEnd(24)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.errors.toFixed(0).padStart(7)}`;
    console.log(
      `${'target'.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    for (const [name] of targets) console.log(row(name, mean(name)));
    if (direct) console.log(row('documents subgraph*', direct));
    const ratio = (a: string, b: string) => (mean(a).rps / mean(b).rps).toFixed(2);
    console.log(`\ndocent / hive, uncached: ${ratio('docent gateway', 'hive gateway')}`);
    console.log(
      `docent / hive, cached:   ${ratio('docent gateway, cached', 'hive gateway, cached')}`,
    );
    // The two targets: at least Hive uncached; at least 10× Hive uncached on cache hits.
    const uncached = Number(ratio('docent gateway', 'hive gateway'));
    const cachedOverUncached = Number(ratio('docent gateway, cached', 'hive gateway'));
    console.log(
      `docent cached / hive uncached: ${cachedOverUncached.toFixed(2)} (target ≥ 10: ${cachedOverUncached >= 10 ? 'met' : 'not met'})`,
    );
    console.log(`target docent / hive uncached ≥ 1: ${uncached >= 1 ? 'met' : 'not met'}`);
    if (direct)
      console.log(
        '* the documents subgraph alone, `documents(first: 20)` only (it cannot answer the hop or `me`)',
      );
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    await stopProcesses(children);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
