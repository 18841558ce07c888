import { Agent, fetch as undiciFetch, Response } from 'undici';
import type { Fetcher } from '@apollo/utils.fetcher';
import { subgraphFetchDuration } from '../core/observability/metrics';

/**
 * Keep-alive connections to the subgraphs (STACK.md measured undici's Agent ahead of the
 * gateway's default make-fetch-happen client), with a per-request timeout.
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
  const fetcher: Fetcher = (url, init) =>
    undiciFetch(url, {
      ...(init as object),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    }) as unknown as ReturnType<Fetcher>;
  return { fetcher, close: () => agent.close() };
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
    const key = `${String(url)}\n${headers.authorization ?? ''}\n${body}`;
    let answer = inFlight.get(key);
    if (!answer) {
      answer = (async () => {
        const response = await fetcher(url, init);
        const shared: SharedAnswer = {
          status: response.status,
          statusText: response.statusText,
          headers: [...(response.headers as unknown as Iterable<[string, string]>)],
          body: await response.text(),
        };
        return shared;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    const shared = await answer;
    return new Response(shared.body, {
      status: shared.status,
      statusText: shared.statusText,
      headers: shared.headers,
    }) as unknown as Awaited<ReturnType<Fetcher>>;
  };
}
