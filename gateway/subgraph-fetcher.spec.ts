import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSubgraphFetcher,
  dedupingFetcher,
  FRESH_READ_REQUEST_PREFIX,
} from './subgraph-fetcher';

/** In-flight deduplication against a real HTTP server that counts what reaches it. */
let server: Server;
let url: string;
let received: { authorization?: string; body: string }[] = [];
const subgraph = createSubgraphFetcher(5_000);
const fetcher = dedupingFetcher(subgraph.fetcher);

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/hang') return;
      if (request.url === '/unavailable?x=1') {
        response.writeHead(503, { 'Content-Type': 'application/json', 'X-Twice': ['a', 'b'] });
        response.end(JSON.stringify({ errors: [{ message: 'down' }] }));
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ authorization: request.headers.authorization, body });
      // Slow enough that concurrent callers overlap.
      setTimeout(() => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'max-age=30, private',
        });
        response.end(
          JSON.stringify({ data: { n: received.length, who: request.headers.authorization } }),
        );
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
beforeEach(() => {
  received = [];
});
afterAll(async () => {
  await subgraph.close();
  await new Promise((resolve) => server.close(resolve));
});

const send = (query: string, authorization: string, variables: object = {}) =>
  fetcher(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables }),
  }).then(async (response) => ({
    body: (await response.json()) as { data: { n: number; who: string } },
    cacheControl: response.headers.get('cache-control'),
  }));

it('sends identical concurrent queries once and gives every caller the whole answer', async () => {
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => send('query Q { me { id } }', 'Bearer a')),
  );
  expect(received).toHaveLength(1);
  for (const answer of answers) {
    expect(answer.body).toEqual({ data: { n: 1, who: 'Bearer a' } });
    // Headers too: the gateway reads cache hints from them.
    expect(answer.cacheControl).toBe('max-age=30, private');
  }
  // Once answered, the next identical query is sent again (no caching here).
  await send('query Q { me { id } }', 'Bearer a');
  expect(received).toHaveLength(2);
});

it('never merges different credentials, variables or mutations', async () => {
  const answers = await Promise.all([
    send('query Q { me { id } }', 'Bearer a'),
    send('query Q { me { id } }', 'Bearer b'),
    send('query Q($id: ID) { me { id } }', 'Bearer a', { id: '1' }),
    send('query Q($id: ID) { me { id } }', 'Bearer a', { id: '2' }),
    send('mutation M { touch }', 'Bearer a'),
    send('mutation M { touch }', 'Bearer a'),
  ]);
  expect(received).toHaveLength(6);
  expect(answers[1].body.data.who).toBe('Bearer b');
});

it('answers status, headers and body as the data source reads them', async () => {
  const response = await subgraph.fetcher(url.replace('/graphql', '/unavailable?x=1'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.ok).toBe(false);
  expect(response.status).toBe(503);
  expect(response.statusText).toBe('Service Unavailable');
  // Header names without case; repeated headers joined as fetch joins them.
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-twice')).toBe('a, b');
  expect(await response.json()).toEqual({ errors: [{ message: 'down' }] });
  expect(response.bodyUsed).toBe(true);
  await expect(response.text()).rejects.toThrow(/already been used/);
});

it('gives up on a subgraph that does not answer within the timeout', async () => {
  const impatient = createSubgraphFetcher(100);
  try {
    await expect(
      impatient.fetcher(url.replace('/graphql', '/hang'), { method: 'POST', body: '{}' }),
    ).rejects.toThrow();
  } finally {
    await impatient.close().catch(() => undefined);
  }
});

it('never merges a request that asks for a fresh read (a subscription event)', async () => {
  const fresh = (n: number) =>
    fetcher(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer a',
        'x-request-id': `${FRESH_READ_REQUEST_PREFIX}${n}`,
      },
      body: JSON.stringify({ query: 'query Q { me { id } }', variables: {} }),
    });
  // One ordinary request in flight, then two fresh ones for the same query and credential.
  await Promise.all([send('query Q { me { id } }', 'Bearer a'), fresh(1), fresh(2)]);
  expect(received).toHaveLength(3);
});
