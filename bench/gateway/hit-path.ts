import 'reflect-metadata';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { freshBenchDatabase } from '../support/database';
import { postGraphql } from '../support/graphql';
import { startRoleProcess, stopProcesses } from '../support/processes';

/**
 * The response cache's hit path alone: one gateway with the cache on, every request a hit (the
 * `bench:gateway` query mix, each answer cached before the load starts). Reports req/s and
 * latency, and the gateway's CPU time per request (process_cpu_seconds_total from its
 * /metrics before and after): CPU per request survives a busy machine better than req/s.
 * Rate limits stay on (a limit no run reaches) so their Redis work is part of the path.
 * BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50); BENCH_PROFILE_DIR writes the
 * gateway's CPU profile there (`--cpu-prof`).
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BASE_PORT = 4640; // bench:gateway uses 4100+, bench:realtime 4200+, bench:pipeline 4340+
const DATABASE = 'docent_bench_gateway_hits';

const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) =>
  role === 'gateway' ? BASE_PORT : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]);
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;

const MIX = [
  'query List { documents(first: 20) { totalCount edges { cursor node { id title status tags createdAt } } pageInfo { hasNextPage endCursor } } }',
  'query ListWithUploaders { documents(first: 20) { edges { node { id title uploadedBy { id name email } } } } }',
  'query Me { me { role user { id email } organization { id name } } }',
];

async function gatewayCpuSeconds(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port('gateway')}/metrics`)).text();
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(text);
  if (!match) throw new Error('no process_cpu_seconds_total in /metrics');
  return Number(match[1]);
}

async function main(): Promise<void> {
  const databaseUrl = await freshBenchDatabase(DATABASE);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: 'bench-gateway-hits',
    GATEWAY_PORT: String(port('gateway')),
    RESPONSE_CACHE: 'true',
    RATE_LIMIT_PER_USER: '100000000',
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  const profileDir = process.env.BENCH_PROFILE_DIR;
  delete process.env.BENCH_PROFILE_DIR; // only the gateway is profiled
  const children = [];
  try {
    for (const role of roles) children.push(await startRoleProcess(role, env, port(role)));
    if (profileDir) process.env.BENCH_PROFILE_DIR = profileDir;
    children.push(await startRoleProcess('gateway', env, port('gateway')));

    const signUp = await postGraphql<{ signUp: { accessToken: string } }>(
      url('gateway'),
      'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      {
        input: {
          email: `bench-hits-${Date.now()}@example.com`,
          password: 'bench-Password-123',
          name: 'Bench',
          organizationName: 'Bench Hits Inc',
        },
      },
    );
    const token = signUp.signUp.accessToken;
    for (let i = 0; i < 20; i++)
      await postGraphql(
        url('documents'),
        'mutation($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }',
        { input: { title: `Agreement ${i}`, text: `Agreement number ${i}.`, tags: ['bench'] } },
        token,
      );
    // Each answer computed once and cached; the load below is hits only.
    for (const query of MIX) await postGraphql(url('gateway'), query, {}, token);
    for (const query of MIX) {
      const response = await fetch(url('gateway'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      if (response.headers.get('x-cache') !== 'HIT') throw new Error(`not cached: ${query}`);
    }

    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(`load average before: ${load()}`);
    const cpuBefore = await gatewayCpuSeconds();
    const result = await autocannon({
      url: url('gateway'),
      method: 'POST',
      connections: CONNECTIONS,
      duration: DURATION,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: MIX.map((query) => ({ body: JSON.stringify({ query }) })),
    });
    const cpu = (await gatewayCpuSeconds()) - cpuBefore;
    const requests = result.requests.total;
    console.log(
      `hits: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}, ${CONNECTIONS} connections, ${DURATION} s`,
    );
    console.log(
      `gateway CPU: ${((cpu / requests) * 1e6).toFixed(0)} µs per request (${cpu.toFixed(2)} s for ${requests} requests)`,
    );
    console.log(`load average after: ${load()}`);
  } finally {
    await stopProcesses(children);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
