import 'reflect-metadata';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { migrateAll } from '../../core/db/migrate';
import { SUBGRAPHS } from '../../ops/subgraphs';
import { startRoleProcess, stopProcesses } from '../support/processes';

/**
 * `npm run bench:gateway`: throughput and latency of `documents(first: 20)` over 1,000 seeded
 * documents, through the gateway and straight to the documents subgraph, each role in its own
 * process. BENCH_DURATION (seconds, default 20) and BENCH_CONNECTIONS (default 50) tune it.
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DOCUMENTS = 1_000;
const BASE_PORT = 4100;
const DATABASE = 'docent_bench_gateway';
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) => (role === 'gateway' ? BASE_PORT : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]));
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;

const LIST_QUERY = 'query List { documents(first: 20) { totalCount edges { cursor node { id title status tags createdAt } } pageInfo { hasNextPage endCursor } } }';

async function post(target: string, query: string, variables: object, token?: string) {
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function load(target: string, token: string) {
  const result = await autocannon({
    url: target,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: LIST_QUERY }),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  const databaseUrl = `${SERVER}/${DATABASE}`;
  await migrateAll(databaseUrl, SUBGRAPHS);

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: 'bench-gateway',
    GATEWAY_PORT: String(port('gateway')),
    LOGIN_MAX_FAILURES: '1000',
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  const children = [];
  try {
    for (const role of [...roles, 'gateway']) children.push(await startRoleProcess(role, env, port(role)));

    const signUp = await post(url('gateway'), 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
      input: { email: `bench-${Date.now()}@example.com`, password: 'bench-Password-123', name: 'Bench', organizationName: 'Bench Inc' },
    });
    const token = (signUp.signUp as { accessToken: string }).accessToken;
    const create = 'mutation($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }';
    for (let start = 0; start < DOCUMENTS; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, DOCUMENTS - start) }, (_, i) =>
          post(url('documents'), create, { input: { title: `Agreement ${start + i}`, text: `Master services agreement number ${start + i}.`, tags: ['bench'] } }, token),
        ),
      );
    }
    const check = await post(url('gateway'), LIST_QUERY, {}, token);
    const total = (check.documents as { totalCount: number }).totalCount;
    console.log(`seeded ${total} documents; ${CONNECTIONS} connections, ${DURATION} s each\n`);

    const gateway = await load(url('gateway'), token);
    const direct = await load(url('documents'), token);
    const row = (name: string, r: typeof gateway) =>
      `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(7)}`;
    console.log(`${'target'.padEnd(22)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
    console.log(row('gateway', gateway));
    console.log(row('documents subgraph', direct));
    console.log(`\ngateway / direct throughput: ${(gateway.rps / direct.rps).toFixed(2)}`);
  } finally {
    await stopProcesses(children);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
