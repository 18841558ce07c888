import { randomUUID } from 'node:crypto';
import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
// Not re-exported by the package's index; the enum executeQueryPlan itself uses.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { Logger } from '../../core/logging/logger';

type PlanResolved = Parameters<Experimental_DidResolveQueryPlanCallback>[0];

/** Contexts of warm-up executions (./subscription-server.ts): never a real request's. */
const warmUps = new WeakSet<object>();

/** Marks a context so that executing with it also warms its plan's entity fetches. */
export function asWarmUp<T extends object>(context: T): T {
  warmUps.add(context);
  return context;
}

/**
 * A subscription's warm-up hydrates an id no entity has, so the root fetch answers null and the
 * plan's entity fetches (`_entities` in accounts for `uploadedBy { name }` …) never run: the
 * first real event then paid for them cold (measured: accounts' fetch and the hydration in the
 * bench's first round several times their later figure). For a warm-up the gateway also sends
 * each entity fetch of the plan once, with one representation whose key fields are fresh UUIDs
 * (every key in Docent is an `id`), with the subscriber's credential: the subgraph parses,
 * validates and caches that operation, runs its reference resolver and statement (finding
 * nothing), and the connection to it is open. Answers and errors are dropped; nothing is sent
 * to anyone.
 */
export function warmEntityFetches(logger: Logger): Experimental_DidResolveQueryPlanCallback {
  return ({ queryPlan, serviceMap, requestContext }: PlanResolved) => {
    if (!warmUps.has(requestContext.context) || !queryPlan.node) return;
    if (queryPlan.node.kind === 'Subscription') return;
    const variables = requestContext.request.variables ?? {};
    for (const fetch of entityFetches(queryPlan.node)) {
      const service = serviceMap[fetch.serviceName];
      if (!service) continue;
      const used: Record<string, unknown> = {};
      for (const name of fetch.variableUsages ?? []) used[name] = variables[name];
      service
        .process({
          kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
          request: {
            query: fetch.operation,
            operationName: fetch.operationName,
            variables: { ...used, representations: fetch.requires!.map(fakeRepresentation) },
          },
          incomingRequestContext: requestContext,
          context: requestContext.context,
          document: fetch.operationDocumentNode,
        })
        .catch((error: unknown) =>
          logger.debug({ err: error, subgraph: fetch.serviceName }, 'entity warm-up failed'),
        );
    }
  };
}

function* entityFetches(node: PlanNode | undefined): Generator<FetchNode> {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      if (node.requires?.length) yield node;
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) yield* entityFetches(child);
      return;
    case 'Flatten':
      yield* entityFetches(node.node);
      return;
    case 'Condition':
      yield* entityFetches(node.ifClause);
      yield* entityFetches(node.elseClause);
      return;
    case 'Defer':
      yield* entityFetches(node.primary.node);
      for (const deferred of node.deferred) yield* entityFetches(deferred.node);
      return;
  }
}

/** `... on User { __typename id }` → `{ __typename: 'User', id: <a fresh UUID> }`. */
function fakeRepresentation(selection: QueryPlanSelectionNode): Record<string, unknown> {
  const representation: Record<string, unknown> = {};
  const fill = (selections: readonly QueryPlanSelectionNode[], into: Record<string, unknown>) => {
    for (const node of selections) {
      if (node.kind === 'InlineFragment') {
        if (node.typeCondition) into.__typename = node.typeCondition;
        fill(node.selections, into);
      } else if (node.name === '__typename') {
        into.__typename ??= '';
      } else if (node.selections) {
        const nested: Record<string, unknown> = {};
        fill(node.selections, nested);
        into[node.alias ?? node.name] = nested;
      } else {
        into[node.alias ?? node.name] = randomUUID();
      }
    }
  };
  fill([selection], representation);
  return representation;
}
