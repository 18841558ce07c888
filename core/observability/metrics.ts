import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the process (every role serves them at `GET /metrics`). One registry
 * per process; in production a process runs one role, and the scrape target says which.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const graphqlRequests = new Counter({
  name: 'graphql_requests_total',
  help: 'GraphQL operations answered, by operation name and type',
  labelNames: ['operation', 'type', 'outcome'] as const,
  registers: [registry],
});
export const graphqlDuration = new Histogram({
  name: 'graphql_request_duration_seconds',
  help: 'Time from the request to its answer, by operation',
  labelNames: ['operation', 'type'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
export const graphqlErrors = new Counter({
  name: 'graphql_errors_total',
  help: 'Errors in GraphQL answers, by operation and extensions.code',
  labelNames: ['operation', 'code'] as const,
  registers: [registry],
});
export const subgraphFetchDuration = new Histogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Gateway to subgraph HTTP requests, by subgraph and outcome',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
export const responseCacheLookups = new Counter({
  name: 'gateway_response_cache_lookups_total',
  help: 'Response cache lookups by result (hit / miss); the hit ratio is hit / (hit + miss)',
  labelNames: ['result'] as const,
  registers: [registry],
});
export const rateLimited = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with RATE_LIMITED, by subject kind (user, key, ip)',
  labelNames: ['subject'] as const,
  registers: [registry],
});

/** Operation names come from clients: at most this many distinct labels, then "other". */
const MAX_OPERATION_LABELS = 500;
const seenOperations = new Set<string>();
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name))
    return 'other';
  seenOperations.add(name);
  return name;
}

/** Request rate, latency and errors per operation, for any Apollo Server (gateway, subgraphs). */
export function graphqlMetricsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, errors }) {
          const label = operationLabel(operationName);
          const type = operation?.operation ?? 'unknown';
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          graphqlDuration.observe({ operation: label, type }, seconds);
          const failed = errors?.length ?? 0;
          graphqlRequests.inc({ operation: label, type, outcome: failed ? 'error' : 'ok' });
          for (const error of errors ?? [])
            graphqlErrors.inc({
              operation: label,
              code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            });
        },
      };
    },
  };
}

export async function serveMetrics(response: ServerResponse): Promise<void> {
  const body = await registry.metrics();
  response.writeHead(200, { 'content-type': registry.contentType });
  response.end(body);
}
