import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../gateway-context';
import type { GatewayExecutor } from './subscription-hub';

type GatewayRequestContext = Parameters<ApolloGateway['executor']>[0];

/** What the hydrator needs of Apollo Server's configuration to treat a query as it would. */
export interface HydratorOptions {
  /** @apollo/gateway's executor: its query planner, plan cache and subgraph data sources. */
  executor: ApolloGateway['executor'];
  /** The gateway's API schema (changes object when a new supergraph loads). */
  schema: () => GraphQLSchema;
  /** The gateway's own limits (depth, cost, aliases …), as its Apollo Server applies them. */
  validationRules?: readonly ValidationRule[];
  parseOptions?: ParseOptions;
  /** The gateway's formatError (masking, request id), as its Apollo Server applies it. */
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  /** Distinct query texts kept prepared; the oldest is dropped first. */
  maxPrepared?: number;
}

/** A hydration query parsed, validated and hashed once; per event only variables change. */
interface Prepared {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  queryHash: string;
  /** Parse or validation errors, already formatted: the query is never executed. */
  errors: readonly GraphQLFormattedError[] | null;
}

export interface GatewayHydrator {
  execute: GatewayExecutor;
  /**
   * Parses and validates a hydration query (cached by text) and answers its errors: a
   * subscription whose query fails the gateway's limits is refused when it subscribes, not
   * answered with an error per event. Returns null when the query is sound and newly prepared
   * (the caller may warm the plan), false when it was already prepared.
   */
  prepare: (query: string) => readonly GraphQLFormattedError[] | null | false;
}

/**
 * Hydrations without Apollo Server's request pipeline. Each event used to be a full
 * `apollo.executeOperation`: parse, validate, hash, plugins and context per event. The query of
 * a subscription never changes, so it is parsed and validated once (with the same limits and
 * parse options as the gateway's Apollo Server) and each event calls @apollo/gateway's own
 * executor with a prepared request context: the same query planner and plan cache, the same
 * data sources (the subscriber's credential forwarded, subgraphs authorize it), partial data
 * with the failing subgraph's error, and errors formatted by the gateway's formatError.
 * What is skipped is what does not apply to a hydration: the response cache (an event must be
 * answered fresh), APQ and the safelist (the query is the gateway's own rewrite of a
 * subscription that was admitted), and operation metrics (hydrations have their own).
 */
export function createGatewayHydrator(options: HydratorOptions): GatewayHydrator {
  const prepared = new Map<string, Prepared>();
  const maxPrepared = options.maxPrepared ?? 1_000;
  const rules = [...specifiedRules, ...(options.validationRules ?? [])];
  const format = (error: unknown): GraphQLFormattedError => formatOne(error, options.formatError);

  function lookup(query: string): { entry: Prepared; fresh: boolean } {
    const schema = options.schema();
    const cached = prepared.get(query);
    // A new supergraph is a new schema object: prepare again against it.
    if (cached?.schema === schema) return { entry: cached, fresh: false };
    const entry = prepareQuery(query, schema);
    prepared.delete(query);
    prepared.set(query, entry);
    if (prepared.size > maxPrepared) prepared.delete(prepared.keys().next().value!);
    return { entry, fresh: true };
  }

  function prepareQuery(query: string, schema: GraphQLSchema): Prepared {
    const queryHash = createHash('sha256').update(query).digest('hex');
    let document: DocumentNode;
    try {
      document = parse(query, options.parseOptions);
    } catch (error) {
      const failed = withCode(error, 'GRAPHQL_PARSE_FAILED');
      return { schema, document: EMPTY, operation: NO_OPERATION, queryHash, errors: [failed] };
    }
    const invalid = validate(schema, document, rules);
    const operation = getOperationAST(document);
    if (invalid.length || !operation) {
      const errors = invalid.length
        ? invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'))
        : [withCode(new GraphQLError('Expected exactly one operation'), 'BAD_USER_INPUT')];
      return { schema, document, operation: NO_OPERATION, queryHash, errors };
    }
    return { schema, document, operation, queryHash, errors: null };
  }

  function withCode(error: unknown, code: string): GraphQLFormattedError {
    const graphqlError =
      error instanceof GraphQLError
        ? error
        : new GraphQLError(String(error), { originalError: error as Error });
    return format(
      new GraphQLError(graphqlError.message, {
        nodes: graphqlError.nodes,
        source: graphqlError.source,
        positions: graphqlError.positions,
        originalError: graphqlError.originalError ?? undefined,
        extensions: { ...graphqlError.extensions, code },
      }),
    );
  }

  const execute: GatewayExecutor = async (query, variables, context) => {
    const { entry } = lookup(query);
    if (entry.errors) return { errors: [...entry.errors] };
    const requestContext = {
      logger: options.logger,
      schema: entry.schema,
      request: { query, variables, operationName: entry.operation.name?.value },
      context,
      queryHash: entry.queryHash,
      document: entry.document,
      source: query,
      operationName: entry.operation.name?.value ?? null,
      operation: entry.operation,
      // executeQueryPlan records subgraph error paths here.
      metrics: {},
      overallCachePolicy: undefined,
    } as unknown as GatewayRequestContext;
    try {
      const result = await options.executor(
        requestContext as GatewayRequestContext & { context: GatewayContext },
      );
      const formatted: FormattedExecutionResult = {};
      if (result.errors?.length) formatted.errors = result.errors.map(format);
      if ('data' in result) formatted.data = result.data as FormattedExecutionResult['data'];
      return formatted;
    } catch (error) {
      options.logger.error({ err: error }, 'hydration failed');
      return { errors: [format(error)] };
    }
  };

  return {
    execute,
    prepare: (query) => {
      const { entry, fresh } = lookup(query);
      return entry.errors ?? (fresh ? null : false);
    },
  };
}

const EMPTY: DocumentNode = { kind: 'Document' as DocumentNode['kind'], definitions: [] };
const NO_OPERATION = {} as OperationDefinitionNode;

/**
 * Apollo Server's error formatting for one error: a GraphQLError with `extensions.code`
 * (INTERNAL_SERVER_ERROR when it has none), through the gateway's formatError; a formatter
 * that throws gives a plain internal error.
 */
function formatOne(
  error: unknown,
  formatError: HydratorOptions['formatError'],
): GraphQLFormattedError {
  const graphqlError =
    error instanceof GraphQLError
      ? error
      : new GraphQLError(error instanceof Error ? error.message : String(error), {
          originalError: error instanceof Error ? error : undefined,
        });
  const formatted: GraphQLFormattedError = {
    ...graphqlError.toJSON(),
    extensions: {
      ...graphqlError.extensions,
      code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR',
    },
  };
  if (!formatError) return formatted;
  try {
    return formatError(formatted, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
