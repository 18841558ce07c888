import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AccessTokens } from '../../core/auth/access-token';
import { Role } from '../../core/auth/role';
import { loadConfig, type Config } from '../../core/config/config';
import { eventChannel } from '../../core/events/channels';
import type { RelayedEvent } from '../../core/events/relayed-event';
import { createRedis } from '../../core/redis/redis';
import { freshBenchDatabase } from '../support/database';
import { startRoleProcess, stopProcesses } from '../support/processes';
import {
  histogramBetween,
  scrapeMetrics,
  stageBetween,
  value,
  type GatewaySnapshot,
} from './gateway-metrics';
import { settledHeapBytes } from './gateway-heap';
import { wallClockMs, type FromSubscribers, type ToSubscribers } from './protocol';
import { postGraphql } from '../support/graphql';
import { processCpuMs } from '../support/process-cpu';

/**
 * `npm run bench:realtime`: latency from the database commit of an event to its receipt by
 * graphql-ws clients subscribed through one gateway process (documentUpdated, with a field from
 * accounts), and the gateway's memory per connection. Subscribers are distinct users spread over
 * BENCH_ORGS organizations (default 10) and the four roles; each round commits one
 * `document.updated` per organization in one transaction, so every subscriber receives one event
 * per round. BENCH_SUBSCRIBERS (default "1000,5000") and BENCH_ROUNDS (default 20) tune it;
 * BENCH_EVENTS_PER_COMMIT=1 commits one organization's event per round instead of the burst
 * (latency of one event rather than of a burst of BENCH_ORGS events at the same instant).
 * Before the measured rounds each organization gets one warm-up event, whose latency is printed
 * apart (`warmUpMs`): the roles start fresh, and the first event a process ever serves pays
 * once what a running platform has long paid (the first row read and mapped, JIT).
 *
 * The sockets live in BENCH_CLIENT_PROCESSES (default 4) child processes, opened at
 * BENCH_CONNECT_RATE per second (default 1000), so the bench's own
 * event loop does not queue receipts. Per hop: the bench listens on the organizations' Redis
 * channels itself (commit → relay publish, commit → Redis receipt) and reads the gateway's
 * `gateway_subscription_event_stage_seconds` (relay → hub, hydration, hub → sockets).
 */
const SUBSCRIBER_COUNTS = (process.env.BENCH_SUBSCRIBERS ?? '1000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const ORGS = Number(process.env.BENCH_ORGS ?? 10);
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
/** New connections per second, over all client processes. */
const CONNECT_RATE = Number(process.env.BENCH_CONNECT_RATE ?? 1000);
/** Events in each commit, one per organization: all of them at once (a burst) by default. */
const EVENTS_PER_COMMIT = Math.min(ORGS, Number(process.env.BENCH_EVENTS_PER_COMMIT ?? ORGS));
/** Subscriber i belongs to organization i % ORGS. */
const subscribersOfOrg = (k: number, count: number) =>
  Math.floor(count / ORGS) + (k < count % ORGS ? 1 : 0);
const BASE_PORT = 4200;
/** The gateway's V8 inspector: the bench collects garbage there before reading the heap. */
const GATEWAY_INSPECTOR_PORT = BASE_PORT + 29;
const DATABASE = 'docent_bench_realtime';
const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) =>
  role === 'gateway'
    ? BASE_PORT
    : role === 'scheduler'
      ? BASE_PORT + 10
      : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]);
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;
const ROLES = [Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER];
const SUBSCRIPTION = `subscription { documentUpdated { id title status uploadedBy { id name } } }`;

function post(query: string, variables: object, token?: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return postGraphql<Record<string, any>>(url('gateway'), query, variables, token);
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const round1 = (n: number) => Number(n.toFixed(1));
const hopsOf = (values: number[]) => ({
  p50: round1(percentile(sorted(values), 50)),
  p99: round1(percentile(sorted(values), 99)),
});

/** Requests the gateway sent one subgraph between two snapshots. */
function subgraphRequests(before: GatewaySnapshot, after: GatewaySnapshot, subgraph: string) {
  return histogramBetween(before, after, 'gateway_subgraph_fetch_duration_seconds', { subgraph })
    .count;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the subscriptions from the client processes; resolves once every socket settled. */
async function openSubscribers(tokens: string[]) {
  const children: ChildProcess[] = [];
  const listeners: ((receipts: [string, number][]) => void)[] = [];
  let subscribed = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  const processes = Math.min(CLIENT_PROCESSES, tokens.length);
  await Promise.all(
    Array.from({ length: processes }, (_, p) => {
      const child = fork(join(__dirname, 'subscriber-process.ts'), [], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`subscriber process exited with ${code}`)));
        child.on('message', (message: FromSubscribers) => {
          if (message.kind === 'receipts') listeners.forEach((l) => l(message.receipts));
          else if (message.kind === 'error')
            errors.set(message.message, (errors.get(message.message) ?? 0) + 1);
          else if (message.kind === 'opened') {
            subscribed += message.subscribed;
            failed += message.failed;
            resolve();
          }
        });
        const share = tokens.filter((_, i) => i % processes === p);
        const open: ToSubscribers = {
          kind: 'open',
          url: url('gateway').replace('http', 'ws'),
          query: SUBSCRIPTION,
          tokens: share,
          perSecond: CONNECT_RATE / processes,
        };
        child.send(open);
      });
    }),
  );
  for (const [message, n] of errors) console.error(`${n} × ${message}`);
  return {
    subscribed,
    failed,
    onReceipts: (listener: (receipts: [string, number][]) => void) => listeners.push(listener),
    close: async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.removeAllListeners('exit');
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              const close: ToSubscribers = { kind: 'close' };
              child.send(close);
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
    },
  };
}

/** The bench's own listener on the organizations' event channels: when the relay published. */
async function watchRedisChannels(config: Config, organizationIds: string[]) {
  const redis = createRedis(config.REDIS_URL);
  let waiting: { n: number; seen: { publishedAt: number; receivedAt: number }[] } | null = null;
  let resolveWaiting: (() => void) | null = null;
  redis.on('message', (_channel: string, message: string) => {
    const receivedAt = wallClockMs();
    const event = JSON.parse(message) as RelayedEvent;
    if (!waiting || !event.publishedAt) return;
    waiting.seen.push({ publishedAt: Date.parse(event.publishedAt), receivedAt });
    if (waiting.seen.length >= waiting.n) resolveWaiting?.();
  });
  await redis.subscribe(...organizationIds.map((id) => eventChannel(config.REDIS_PREFIX, id)));
  return {
    /** Call before the commit; resolves with the next n events (or what came in 30 s). */
    expect: (n: number) => {
      const current = { n, seen: [] as { publishedAt: number; receivedAt: number }[] };
      waiting = current;
      return new Promise<typeof current.seen>((resolve) => {
        const timer = setTimeout(() => resolve(current.seen), 30_000);
        resolveWaiting = () => {
          clearTimeout(timer);
          resolve(current.seen);
        };
      });
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const databaseUrl = await freshBenchDatabase(DATABASE);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: 'bench-realtime',
    GATEWAY_PORT: String(port('gateway')),
    SCHEDULER_PORT: String(port('scheduler')),
    RATE_LIMIT_PER_USER: '0',
    RATE_LIMIT_PER_IP: '0',
    RESPONSE_CACHE: 'false',
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  const config = loadConfig({ ...process.env, ...env });
  const tokens = new AccessTokens({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    ttlSeconds: 3600,
  });
  const children: ChildProcess[] = [];
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const roleNames = [...roles, 'scheduler', 'gateway'];
    for (const role of roleNames) {
      const nodeArgs = role === 'gateway' ? [`--inspect=127.0.0.1:${GATEWAY_INSPECTOR_PORT}`] : [];
      children.push(await startRoleProcess(role, env, port(role), nodeArgs));
    }
    const cpuOfRoles = () =>
      Object.fromEntries(roleNames.map((role, i) => [role, processCpuMs(children[i].pid!)]));
    const gatewayPid = children[children.length - 1].pid!;

    // Organizations, each with one document, signed up through the gateway.
    const orgs: { organizationId: string; documentId: string }[] = [];
    for (let i = 0; i < ORGS; i++) {
      const signUp = await post(
        'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken me { organization { id } } } }',
        {
          input: {
            email: `bench-${Date.now()}-${i}@example.com`,
            password: 'Correct-horse-battery-9',
            name: `Owner ${i}`,
            organizationName: `Bench ${i}`,
          },
        },
      );
      const token = signUp.signUp.accessToken as string;
      const created = await post(
        'mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }',
        { input: { title: `Bench document ${i}`, text: 'Bench text.' } },
        token,
      );
      orgs.push({
        organizationId: signUp.signUp.me.organization.id,
        documentId: created.createTextDocument.id,
      });
    }

    const events = await watchRedisChannels(
      config,
      orgs.map((o) => o.organizationId),
    );
    for (const count of SUBSCRIBER_COUNTS) {
      const tokenList: string[] = [];
      for (let i = 0; i < count; i++) {
        const org = orgs[i % ORGS];
        const { token } = await tokens.sign({
          userId: crypto.randomUUID(),
          organizationId: org.organizationId,
          role: ROLES[Math.floor(i / ORGS) % ROLES.length],
        });
        tokenList.push(token);
      }
      const metricsUrl = url('gateway').replace('/graphql', '/metrics');
      const idle = await scrapeMetrics(metricsUrl);
      // After a full collection each time, so that RSS and heap compare like with like.
      const heapBefore = await settledHeapBytes(GATEWAY_INSPECTOR_PORT);
      const before = rssKb(gatewayPid);
      const opened = performance.now();
      const subscribers = await openSubscribers(tokenList);
      const activeTarget = value(idle, 'gateway_subscriptions_active') + subscribers.subscribed;
      while (value(await scrapeMetrics(metricsUrl), 'gateway_subscriptions_active') < activeTarget)
        await sleep(100);
      const openSeconds = (performance.now() - opened) / 1000;
      await sleep(3_000);

      const samples: number[] = [];
      const publishLag: number[] = [];
      const redisLag: number[] = [];
      let received = 0;
      const commitAt = new Map<string, number>();
      // The warm-up event of each organization pays what is cold once per process (the first
      // row each subgraph reads and maps, JIT, the gateway's first non-null result): measured
      // rounds start warm, as in a platform that has been running; the warm-up is printed apart.
      const warmUpSamples: number[] = [];
      const warmUpTitles = new Set<string>();
      subscribers.onReceipts((receipts) => {
        for (const [title, at] of receipts) {
          const t0 = commitAt.get(title);
          if (t0 !== undefined) (warmUpTitles.has(title) ? warmUpSamples : samples).push(at - t0);
          received++;
        }
      });
      /** Commits one document.updated per organization given, in one transaction; waits for the deliveries. */
      const commitRound = async (changed: number[], label: string, warmUp = false) => {
        const reached = changed.reduce((n, k) => n + subscribersOfOrg(k, count), 0);
        const expected = received + reached;
        await sql.query('BEGIN');
        const titles: string[] = [];
        for (const org of changed.map((k) => orgs[k])) {
          const title = `t-${count}-${label}-${org.organizationId.slice(0, 8)}`;
          titles.push(title);
          if (warmUp) warmUpTitles.add(title);
          await sql.query(
            `UPDATE documents.documents SET title = $1, updated_at = now() WHERE id = $2`,
            [title, org.documentId],
          );
          await sql.query(
            `INSERT INTO documents.outbox (organization_id, type, aggregate_id, payload) VALUES ($1, 'document.updated', $2, $3)`,
            [
              org.organizationId,
              org.documentId,
              JSON.stringify({ documentId: org.documentId, changed: ['title'] }),
            ],
          );
        }
        await sql.query(`SELECT pg_notify('docent_outbox', 'documents')`);
        const seen = events.expect(changed.length);
        await sql.query('COMMIT');
        const t0 = wallClockMs();
        for (const title of titles) commitAt.set(title, t0);
        const lags = (await seen).map((event) => ({
          publish: event.publishedAt - t0,
          redis: event.receivedAt - t0,
        }));
        const deadline = Date.now() + 30_000;
        while (received < expected && Date.now() < deadline) await sleep(5);
        await sleep(100);
        return { reached, lags };
      };

      for (const k of orgs.keys()) await commitRound([k], `warm-up-${k}`, true);
      const loaded = await scrapeMetrics(metricsUrl);
      const cpuBefore = cpuOfRoles();
      let expectedTotal = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // This round's organizations: all of them (a burst), or the next EVENTS_PER_COMMIT.
        const changed = Array.from(
          { length: EVENTS_PER_COMMIT },
          (_, k) => (round * EVENTS_PER_COMMIT + k) % ORGS,
        );
        const { reached, lags } = await commitRound(changed, String(round));
        expectedTotal += reached;
        for (const lag of lags) {
          publishLag.push(lag.publish);
          redisLag.push(lag.redis);
        }
      }
      const done = await scrapeMetrics(metricsUrl);
      const cpuAfter = cpuOfRoles();
      // Memory with the connections still open, read after the rounds: forced collections just
      // before the rounds made the first one slower (V8 drops the compiled code of functions
      // idle across collections; the first event compiled them again).
      const heapAfter = await settledHeapBytes(GATEWAY_INSPECTOR_PORT);
      const after = rssKb(gatewayPid);
      const cpuMsPerRound = Object.fromEntries(
        roleNames
          .map((role) => [role, round1((cpuAfter[role] - cpuBefore[role]) / ROUNDS)] as const)
          .filter(([, ms]) => ms > 0),
      );
      const hydrations =
        value(done, 'gateway_subscription_hydrations_total') -
        value(loaded, 'gateway_subscription_hydrations_total');
      const stage = (name: string) => stageBetween(loaded, done, name);
      const hops = hopsOf;
      console.log(
        JSON.stringify({
          subscribers: count,
          connected: subscribers.subscribed,
          refused: subscribers.failed,
          openSeconds: round1(openSeconds),
          organizations: ORGS,
          rounds: ROUNDS,
          deliveries: samples.length,
          eventsPerCommit: EVENTS_PER_COMMIT,
          expected: expectedTotal,
          p50Ms: round1(percentile(sorted(samples), 50)),
          p99Ms: round1(percentile(sorted(samples), 99)),
          maxMs: round1(sorted(samples)[samples.length - 1]),
          warmUpMs: hopsOf(warmUpSamples),
          hopsMs: {
            commitToRelayPublish: hops(publishLag),
            commitToRedisReceipt: hops(redisLag),
            gatewayRelayToHub: stage('relay_to_hub'),
            gatewayHydration: stage('hydration'),
            gatewayHubToPush: stage('hub_to_push'),
            subgraphFetchDocuments: histogramBetween(
              loaded,
              done,
              'gateway_subgraph_fetch_duration_seconds',
              { subgraph: 'documents' },
            ),
            subgraphFetchAccounts: histogramBetween(
              loaded,
              done,
              'gateway_subgraph_fetch_duration_seconds',
              { subgraph: 'accounts' },
            ),
          },
          cpuMsPerRound,
          hydrationsPerEvent: round1(hydrations / (ROUNDS * EVENTS_PER_COMMIT)),
          // Every role's CPU over the rounds divided by the hydrations: with few subscribers per
          // group this is what one hydration costs each role (the gateway's share also holds the
          // fan-out to the sockets, which grows with subscribers).
          cpuMsPerHydration: Object.fromEntries(
            Object.entries(cpuMsPerRound).map(([role, ms]) => [
              role,
              hydrations ? round1((ms * ROUNDS) / hydrations) : NaN,
            ]),
          ),
          subgraphRequestsPerRound: {
            documents: round1(subgraphRequests(loaded, done, 'documents') / ROUNDS),
            accounts: round1(subgraphRequests(loaded, done, 'accounts') / ROUNDS),
          },
          gatewayRssBeforeMb: Math.round(before / 1024),
          gatewayRssAfterMb: Math.round(after / 1024),
          kbPerConnection: round1((after - before) / subscribers.subscribed),
          // Live heap after a full collection, before and after the connections opened.
          heapKbPerConnection: round1((heapAfter - heapBefore) / 1024 / subscribers.subscribed),
        }),
      );
      await subscribers.close();
      await sleep(2_000);
    }
    await events.close();
  } finally {
    await sql.end();
    await stopProcesses(children);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
