import { STATUS_CODES } from 'node:http';
import { Agent } from 'undici';
import type { Fetcher, FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';
import { subgraphFetchDuration } from '../core/observability/metrics';

/**
 * Keep-alive connections to the subgraphs (STACK.md measured undici's Agent ahead of the
 * gateway's default make-fetch-happen client), with a per-request timeout. Requests go through
 * undici's `request`, not its `fetch`: the WHATWG layer (Request, Headers, Response and a web
 * stream per call) cost the gateway more CPU than the subgraph call itself for the small JSON
 * answers subgraphs give; the body is read as text into a plain response.
 */
export function createSubgraphFetcher(timeoutMs: number): {
  fetcher: Fetcher;
  close: () => Promise<void>;
} {
  const agent = new Agent({
    connections: 256,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    pipelining: 1,
  });
  const fetcher: Fetcher = async (url, init) => {
    const target = new URL(url);
    const answer = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init?.method ?? 'GET') as 'GET',
      headers: init?.headers,
      body: init?.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.push([name, one]);
    }
    return new TextResponse(url, answer.statusCode, headers, await answer.body.text());
  };
  return { fetcher, close: () => agent.close() };
}

/** Response headers, names compared without case as HTTP wants. */
class PlainHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(entries: Iterable<[string, string]>) {
    for (const [name, value] of entries) this.append(name, value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.map.get(key);
    this.map.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** A subgraph's answer, already read as text: what RemoteGraphQLDataSource reads of a response. */
export class TextResponse implements FetcherResponse {
  readonly headers: PlainHeaders;
  readonly redirected = false;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    headers: Iterable<[string, string]>,
    private readonly body: string,
    readonly statusText = STATUS_CODES[status] ?? '',
  ) {
    this.headers = new PlainHeaders(headers);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get bodyUsed(): boolean {
    return this.used;
  }
  text(): Promise<string> {
    if (this.used) return Promise.reject(new TypeError('Body has already been used'));
    this.used = true;
    return Promise.resolve(this.body);
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  clone(): TextResponse {
    return new TextResponse(this.url, this.status, this.headers, this.body, this.statusText);
  }
}

/** The fetcher of one subgraph, timed into `gateway_subgraph_fetch_duration_seconds`. */
export function timedFetcher(subgraph: string, fetcher: Fetcher): Fetcher {
  return async (url, init) => {
    const end = subgraphFetchDuration.startTimer({ subgraph });
    try {
      const response = await fetcher(url, init);
      end({ outcome: response.ok ? 'ok' : `http_${response.status}` });
      return response;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  };
}

/** A subgraph answer read once, handed to every caller that asked for it while in flight. */
interface SharedAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/**
 * Request ids that start with this ask for a read of their own, never merged with one already
 * in flight: a subscription event must be hydrated by a read that starts after the event, or a
 * second event for the same entity (processing → processed, a few ms apart) could be answered
 * with what the first one's request read before the second change committed.
 */
export const FRESH_READ_REQUEST_PREFIX = 'fresh-';

/**
 * In-flight deduplication of identical subgraph queries: while one request for the same
 * subgraph, query, variables and credential is on its way, another caller waits for its answer
 * instead of sending its own (what puts Hive Gateway ahead under concurrent identical load,
 * STACK.md). The key is everything that can change the answer — the URL, the body (query,
 * variables, operation name) and the Authorization header — so two callers' credentials are
 * never merged. Only queries: a mutation body is always sent. Each waiter gets its own Response
 * over the shared text. Request-scoped headers (`x-request-id`, `traceparent`) are not part of
 * the key: the subgraph sees the first caller's.
 */
export function dedupingFetcher(fetcher: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<SharedAnswer>>();
  return async (url, init) => {
    const body = typeof init?.body === 'string' ? init.body : null;
    if (!body || !/^\{"query":"(query\b|\{)/.test(body)) return fetcher(url, init);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    if (headers['x-request-id']?.startsWith(FRESH_READ_REQUEST_PREFIX)) return fetcher(url, init);
    const key = `${String(url)}\n${headers.authorization ?? ''}\n${body}`;
    let answer = inFlight.get(key);
    if (!answer) {
      answer = (async () => {
        const response = await fetcher(url, init);
        const shared: SharedAnswer = {
          status: response.status,
          statusText: response.statusText,
          headers: [...response.headers],
          body: await response.text(),
        };
        return shared;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    const shared = await answer;
    return new TextResponse(
      String(url),
      shared.status,
      shared.headers,
      shared.body,
      shared.statusText,
    );
  };
}
