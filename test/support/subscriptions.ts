import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  client: Client;
  results: { data?: Record<string, unknown> | null; errors?: unknown[] }[];
  closed: Promise<{ code: number; reason: string }>;
  dispose: () => Promise<void>;
}

/** A real graphql-ws client on the gateway's `/graphql`, collecting what one subscription receives. */
export function subscribe(
  httpUrl: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Subscriber {
  const results: Subscriber['results'] = [];
  let closedResolve: (value: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((r) => (closedResolve = r));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        closedResolve({ code: e.code, reason: String(e.reason) });
      },
    },
  });
  client.subscribe(
    { query, variables },
    {
      next: (value) => results.push(value as Subscriber['results'][number]),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { client, results, closed, dispose: () => client.dispose() as Promise<void> };
}

export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
