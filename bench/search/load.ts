import { Pool } from 'undici';

/** What one load run measured: each request's latency at the client, and failures. */
export interface LoadResult {
  latencies: number[];
  /** The operation's own `tookMs` (search's service time, without the gateway and HTTP). */
  serverMs: number[];
  errors: number;
  ms: number;
}

/**
 * `total` GraphQL requests from `clients` concurrent clients (each waits for its answer before
 * sending the next, as a user does), over one keep-alive connection per client. The clients
 * share the machine's cores with what they measure, so they use undici's pool directly: Node's
 * `fetch` (WHATWG streams, Headers, Response) cost the bench 3–5 ms of CPU per request.
 */
export async function runLoad(
  url: string,
  token: string,
  clients: number,
  total: number,
  request: (i: number) => { query: string; variables: Record<string, unknown> },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const serverMs: number[] = [];
  let errors = 0;
  let next = 0;
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: clients, pipelining: 1 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const body = JSON.stringify(request(next++));
        const t0 = performance.now();
        try {
          const response = await pool.request({
            path: target.pathname,
            method: 'POST',
            headers,
            body,
          });
          const json = (await response.body.json()) as {
            data?: Record<string, { tookMs?: number } | null>;
            errors?: unknown[];
          };
          if (response.statusCode !== 200 || json.errors) errors++;
          const took = Object.values(json.data ?? {})[0]?.tookMs;
          if (typeof took === 'number') serverMs.push(took);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const ms = performance.now() - started;
  await pool.close();
  return { latencies, serverMs, errors, ms };
}

export function summary(values: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
