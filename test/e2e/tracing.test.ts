import { createServer, type Server } from 'node:http';
import { Client } from 'pg';
import type { AddressInfo } from 'node:net';
import { observeWorker } from '../../core/observability/queue-metrics';
import { startTracing, type Tracing } from '../../core/observability/tracing';
import { createTextDocument, signUpOwner } from '../support/actors';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * OpenTelemetry traces across roles: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach an OTLP
 * HTTP receiver (a plain node server here), and the subgraph's span of a gateway request is in
 * the gateway's trace, and so is the pipeline job the request started. Off by default: covered by "no SDK without an endpoint".
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}
const SERVER = 2;
const CLIENT = 3;

let receiver: Server;
const spans: OtlpSpan[] = [];
const contentTypes = new Set<string>();
let tracing: Tracing | null;
let platform: TestPlatform;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      contentTypes.add(String(request.headers['content-type']));
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of body.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  tracing = startTracing({ endpoint, serviceName: 'docent-test' });
  platform = await startTestPlatform({}, { pipeline: {} });
  // What the worker role does for each of its workers (workers/worker.ts).
  observeWorker(platform.pipeline!.worker);
});
afterAll(async () => {
  await platform?.stop();
  await tracing?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
});

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue !== undefined ? String(value.intValue) : undefined);
};

/** A span's parents, nearest first, as far as they were exported. */
function ancestors(span: OtlpSpan): OtlpSpan[] {
  const chain: OtlpSpan[] = [];
  let current: OtlpSpan | undefined = span;
  while (current?.parentSpanId && chain.length < 20) {
    current = spans.find((s) => s.spanId === current!.parentSpanId);
    if (current) chain.push(current);
  }
  return chain;
}

it('is off without an endpoint: no SDK is started', () => {
  expect(startTracing({ endpoint: undefined, serviceName: 'x' })).toBeNull();
});

it('exports the gateway request and its subgraph fetches in one trace', async () => {
  const owner = await signUpOwner(platform.url);
  const gatewayPort = new URL(platform.url).port;
  const accountsPort = new URL(platform.config.ACCOUNTS_URL).port;
  const response = await graphql(
    platform.url,
    'query Who { me { role user { email } } }',
    {},
    owner.accessToken,
  );
  expect(response.errors).toBeUndefined();

  // The gateway's server span for this request, its fetch to accounts, accounts' server span.
  let found: { gateway: OtlpSpan; fetch: OtlpSpan; subgraph: OtlpSpan } | null = null;
  for (let tries = 0; tries < 50 && !found; tries++) {
    await tracing!.flush();
    const servers = spans.filter((s) => s.kind === SERVER);
    for (const subgraph of servers.filter((s) => attribute(s, 'server.port') === accountsPort)) {
      const fetch = spans.find((s) => s.kind === CLIENT && s.spanId === subgraph.parentSpanId);
      // Between the two: @apollo/gateway's own spans (gateway.request, .execute, .fetch).
      const gateway = fetch && ancestors(fetch).find((s) => s.kind === SERVER);
      if (fetch && gateway && attribute(gateway, 'server.port') === gatewayPort)
        found = { gateway, fetch, subgraph };
    }
    if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(found).not.toBeNull();
  expect(found!.subgraph.traceId).toBe(found!.gateway.traceId);
  expect(found!.fetch.traceId).toBe(found!.gateway.traceId);
  expect(found!.gateway.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(contentTypes).toEqual(new Set(['application/json']));
});

it('continues the trace of the request that enqueued a job in the worker’s job span', async () => {
  const owner = await signUpOwner(platform.url);
  const documentsPort = new URL(platform.config.DOCUMENTS_URL).port;
  await createTextDocument(platform.url, owner, 'Traced lease');
  let extract: OtlpSpan | undefined;
  let subgraph: OtlpSpan | undefined;
  for (let tries = 0; tries < 100 && !(extract && subgraph); tries++) {
    await tracing!.flush();
    extract = spans.find((s) => s.name === 'job document-pipeline extract');
    subgraph = spans.find(
      (s) =>
        s.kind === SERVER &&
        attribute(s, 'server.port') === documentsPort &&
        s.traceId === extract?.traceId,
    );
    if (!(extract && subgraph)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The documents subgraph's span of createTextDocument and the extract job: one trace, whose
  // root is the gateway's span of the client's request.
  expect(extract).toBeDefined();
  expect(subgraph).toBeDefined();
  const root = ancestors(subgraph!).find((s) => s.kind === SERVER);
  expect(attribute(root!, 'server.port')).toBe(new URL(platform.url).port);
  expect(ancestors(extract!)).toContain(subgraph);
});

it('hands the request id and trace on through the outbox: the request’s event and the pipeline job’s', async () => {
  const owner = await signUpOwner(platform.url);
  const requestId = `outbox-${Date.now()}`;
  const created = await graphql<{ createTextDocument: { id: string } }>(
    platform.url,
    'mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }',
    { input: { title: 'Traced event', text: 'A lease between two parties.' } },
    owner.accessToken,
    { 'x-request-id': requestId },
  );
  const documentId = created.data!.createTextDocument.id;
  const sql = new Client({ connectionString: platform.config.DATABASE_URL });
  await sql.connect();
  try {
    type Row = { type: string; request_id: string | null; traceparent: string | null };
    let rows: Row[] = [];
    for (let tries = 0; tries < 150; tries++) {
      ({ rows } = await sql.query<Row>(
        `SELECT type, request_id, traceparent FROM documents.outbox WHERE aggregate_id = $1 ORDER BY created_at, id`,
        [documentId],
      ));
      if (rows.some((row) => row.type === 'document.processed')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Written by the documents subgraph in the request, then by the pipeline's stages.
    expect(rows.map((row) => row.type)).toEqual([
      'document.uploaded',
      'document.processing',
      'document.processed',
    ]);
    for (const row of rows) expect(row.request_id).toBe(requestId);
    const traceIds = new Set(rows.map((row) => row.traceparent?.split('-')[1]));
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
  } finally {
    await sql.end();
  }
});
