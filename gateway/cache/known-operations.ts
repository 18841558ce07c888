import type { Counter, Histogram } from 'prom-client';
import { graphqlDuration, graphqlRequests, operationLabel } from '../../core/observability/metrics';

/** What the cache's hit path needs of an operation that Apollo has accepted before. */
export interface KnownOperation {
  /** Metric children for this operation's label: no label hashing per request. */
  answered: Counter.Internal;
  duration: Histogram.Internal<'operation' | 'type'>;
}

const MAX_OPERATIONS = 10_000;

/**
 * The query documents that this process's Apollo Server parsed and validated and resolved to
 * a query operation, by query hash and the operation name the client asked for. A cached
 * answer is served without Apollo only for these: parsing, the token cap, validation (depth,
 * aliases, cost, root fields, introspection off) depend on the text and this process's
 * configuration alone, so a text that passed them once passes them again. What depends on the
 * request (credential, rate limit, persisted query, safelist, CSRF) is checked per request.
 */
export class KnownOperations {
  private readonly operations = new Map<string, KnownOperation>();

  private static key(queryHash: string, requestedName: string | undefined): string {
    // No name and an empty name differ: Apollo refuses the empty one.
    return requestedName === undefined ? queryHash : `${queryHash}:${requestedName}`;
  }

  /** Called by the response cache once Apollo has resolved a query operation. */
  remember(
    queryHash: string,
    requestedName: string | undefined,
    resolvedName: string | null,
  ): void {
    const key = KnownOperations.key(queryHash, requestedName);
    if (this.operations.has(key)) return;
    // Oldest first: bounded memory whatever clients send.
    if (this.operations.size >= MAX_OPERATIONS)
      this.operations.delete(this.operations.keys().next().value as string);
    const label = operationLabel(resolvedName);
    this.operations.set(key, {
      answered: graphqlRequests.labels({ operation: label, type: 'query', outcome: 'ok' }),
      duration: graphqlDuration.labels({ operation: label, type: 'query' }),
    });
  }

  get(queryHash: string, requestedName: string | undefined): KnownOperation | undefined {
    return this.operations.get(KnownOperations.key(queryHash, requestedName));
  }
}
