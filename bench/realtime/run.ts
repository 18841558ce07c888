import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { AccessTokens } from '../../core/auth/access-token';
import { Role } from '../../core/auth/role';
import { loadConfig } from '../../core/config/config';
import { freshBenchDatabase } from '../support/database';
import { startRoleProcess, stopProcesses } from '../support/processes';

/**
 * `npm run bench:realtime`: latency from the database commit of an event to its receipt by
 * graphql-ws clients subscribed through one gateway process (documentUpdated, with a field from
 * accounts), and the gateway's memory per connection. Subscribers are distinct users spread over
 * BENCH_ORGS organizations (default 10) and the four roles; each round commits one
 * `document.updated` per organization in one transaction, so every subscriber receives one event
 * per round. BENCH_SUBSCRIBERS (default "1000,5000") and BENCH_ROUNDS (default 20) tune it.
 */
const SUBSCRIBER_COUNTS = (process.env.BENCH_SUBSCRIBERS ?? '1000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const ORGS = Number(process.env.BENCH_ORGS ?? 10);
const BASE_PORT = 4200;
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

async function post(query: string, variables: object, token?: string) {
  const response = await fetch(url('gateway'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, any> /* eslint-disable-line @typescript-eslint/no-explicit-any */;
    errors?: unknown[];
  };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
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
  const children = [];
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    for (const role of [...roles, 'scheduler', 'gateway'])
      children.push(await startRoleProcess(role, env, port(role)));
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

    for (const count of SUBSCRIBER_COUNTS) {
      const before = rssKb(gatewayPid);
      const clients: WsClient[] = [];
      const pending = new Map<string, number>();
      const samples: number[] = [];
      let received = 0;
      const commitAt = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const org = orgs[i % ORGS];
        const { token } = await tokens.sign({
          userId: crypto.randomUUID(),
          organizationId: org.organizationId,
          role: ROLES[Math.floor(i / ORGS) % ROLES.length],
        });
        const client = createClient({
          url: url('gateway').replace('http', 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
          lazy: false,
        });
        clients.push(client);
        client.subscribe(
          { query: SUBSCRIPTION },
          {
            next: (value) => {
              const now = performance.now();
              const title = (value.data?.documentUpdated as { title: string } | undefined)?.title;
              const t0 = title ? commitAt.get(title) : undefined;
              if (t0 !== undefined) samples.push(now - t0);
              received++;
            },
            error: (e) => console.error('subscription error', e),
            complete: () => undefined,
          },
        );
        if (i % 200 === 199) await new Promise((r) => setTimeout(r, 50));
      }
      void pending;
      // Let every connection initialise and subscribe.
      await new Promise((r) => setTimeout(r, 3_000 + count));
      global.gc?.();
      const after = rssKb(gatewayPid);

      for (let round = 0; round < ROUNDS; round++) {
        const expected = received + count;
        await sql.query('BEGIN');
        const titles: string[] = [];
        for (const org of orgs) {
          const title = `t-${count}-${round}-${org.organizationId.slice(0, 8)}`;
          titles.push(title);
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
        await sql.query('COMMIT');
        const t0 = performance.now();
        for (const title of titles) commitAt.set(title, t0);
        const deadline = Date.now() + 30_000;
        while (received < expected && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 100));
      }
      samples.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          subscribers: count,
          organizations: ORGS,
          rounds: ROUNDS,
          deliveries: samples.length,
          expected: count * ROUNDS,
          p50Ms: Number(percentile(samples, 50).toFixed(1)),
          p99Ms: Number(percentile(samples, 99).toFixed(1)),
          maxMs: Number(samples[samples.length - 1].toFixed(1)),
          gatewayRssBeforeMb: Math.round(before / 1024),
          gatewayRssAfterMb: Math.round(after / 1024),
          kbPerConnection: Number(((after - before) / count).toFixed(1)),
        }),
      );
      await Promise.all(clients.map((c) => c.dispose()));
      await new Promise((r) => setTimeout(r, 2_000));
    }
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
