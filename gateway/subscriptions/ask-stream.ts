import {
  getDirectiveValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  print,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  ASK_REPLAY_REQUEST_PREFIX,
  ASK_STREAM_PATH,
  type AskStreamLine,
} from '../../core/graphql/ask-stream-protocol';
import { ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../gateway-context';
import type { GatewayExecutor } from './subscription-hub';
import { readSubscriptionRoot, usedByCut } from './subscription-operation';

/** The Subscription field served by streaming from search rather than by events. */
export const ASK_STREAM_FIELD = 'askStream';

const DELTA_TYPE = 'AnswerDelta';

/** Whether an operation subscribes to askStream (it must then be its only root field). */
export function isAskStream(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (s) => s.kind === Kind.FIELD && s.name.value === ASK_STREAM_FIELD,
  );
}

interface DeltaField {
  responseKey: string;
  fieldName: string;
  /** The `answer` field's nodes under this response key (selections merge, as GraphQL does). */
  nodes: FieldNode[];
}

export interface PreparedAskStream {
  question: string;
  filter: unknown;
  fields: DeltaField[];
  responseKey: string;
  /** The query that resolves the final Answer's selections through `ask`, or null when unselected. */
  hydration: { query: string; variables: Record<string, unknown> } | null;
}

/** @skip / @include, as GraphQL applies them. */
function included(node: SelectionNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The AnswerDelta fields a selection asks for, by response key (fragments flattened). */
function collectFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  into = new Map<string, DeltaField>(),
): Map<string, DeltaField> {
  for (const selection of selectionSet.selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const responseKey = selection.alias?.value ?? selection.name.value;
      const field = into.get(responseKey) ?? {
        responseKey,
        fieldName: selection.name.value,
        nodes: [],
      };
      field.nodes.push(selection);
      into.set(responseKey, field);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value;
      if (!on || on === DELTA_TYPE)
        collectFields(selection.selectionSet, fragments, variables, into);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && fragment.typeCondition.name.value === DELTA_TYPE)
        collectFields(fragment.selectionSet, fragments, variables, into);
    }
  }
  return into;
}

const QUESTION_VARIABLE = 'docentAskQuestion';
const FILTER_VARIABLE = 'docentAskFilter';

/**
 * Reads an askStream subscription: its arguments, the AnswerDelta fields it selects, and the
 * query that will resolve its `answer` selection through `ask` once the stream has ended
 * (`k: ask(question, filter) { …the subscriber's Answer selection… }` per response key, with the
 * fragments and variables that selection uses).
 */
export function prepareAskStream(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown> | null | undefined,
): PreparedAskStream {
  const { root, definition, args, variables, fragments } = readSubscriptionRoot(
    schema,
    document,
    operation,
    variableValues,
  );
  if (!definition || !root.selectionSet) throw new GraphQLError('askStream is not served');
  const fields = [...collectFields(root.selectionSet, fragments, variables).values()];

  const answers = fields.filter((f) => f.fieldName === 'answer');
  let hydration: PreparedAskStream['hydration'] = null;
  if (answers.length > 0) {
    const selections = answers.flatMap((f) =>
      f.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
    );
    const { fragments: keptFragments, variables: used } = usedByCut(selections, fragments);
    const variableDefinitions = (operation.variableDefinitions ?? [])
      .filter((d) => used.has(d.variable.name.value))
      .map((d) => print(d));
    const questionType = String(definition.args.find((a) => a.name === 'question')!.type);
    const filterType = String(definition.args.find((a) => a.name === 'filter')!.type);
    const body = answers
      .flatMap((f) =>
        f.nodes.map(
          (node) =>
            `${f.responseKey}: ask(question: $${QUESTION_VARIABLE}, filter: $${FILTER_VARIABLE}) ${node.selectionSet ? print(node.selectionSet) : ''}`,
        ),
      )
      .join('\n');
    const query = [
      `query AskStreamAnswer($${QUESTION_VARIABLE}: ${questionType}, $${FILTER_VARIABLE}: ${filterType}${variableDefinitions.map((d) => `, ${d}`).join('')}) {\n${body}\n}`,
      ...[...keptFragments.values()].map((f) => print(f)),
    ].join('\n');
    const passed: Record<string, unknown> = {};
    for (const name of used) if (name in variables) passed[name] = variables[name];
    hydration = {
      query,
      variables: {
        ...passed,
        [QUESTION_VARIABLE]: args.question,
        [FILTER_VARIABLE]: args.filter ?? null,
      },
    };
  }
  return {
    question: String(args.question ?? ''),
    filter: args.filter ?? null,
    fields,
    responseKey: root.alias?.value ?? root.name.value,
    hydration,
  };
}

/** One AnswerDelta, shaped by the subscriber's selection. */
function deltaPayload(
  prepared: PreparedAskStream,
  text: string,
  done: boolean,
  answers: Record<string, unknown> | null,
): Record<string, unknown> {
  const delta: Record<string, unknown> = {};
  for (const field of prepared.fields) {
    if (field.fieldName === 'text') delta[field.responseKey] = text;
    else if (field.fieldName === 'done') delta[field.responseKey] = done;
    else if (field.fieldName === '__typename') delta[field.responseKey] = DELTA_TYPE;
    else if (field.fieldName === 'answer')
      delta[field.responseKey] = answers?.[field.responseKey] ?? null;
  }
  return { [prepared.responseKey]: delta };
}

async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<AskStreamLine> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line) as AskStreamLine;
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as AskStreamLine;
}

export interface AskStreamOptions {
  /** The search subgraph's GraphQL URL; the stream endpoint is beside it. */
  searchUrl: string;
  execute: GatewayExecutor;
  logger: Logger;
}

/**
 * Serves one askStream subscription: streams the answer from the search subgraph with the
 * subscriber's own credential (search verifies it and scopes retrieval to it, as for any query),
 * sends each delta as it arrives, and for the last one resolves the subscriber's `answer`
 * selection through the gateway's executor (`ask`, which search answers from the stream's
 * stored result), so citations' documents are resolved by federation like any field.
 * Unsubscribing aborts the stream, and search stops answering.
 */
export async function* serveAskStream(
  prepared: PreparedAskStream,
  context: GatewayContext,
  options: AskStreamOptions,
): AsyncGenerator<FormattedExecutionResult> {
  const abort = new AbortController();
  try {
    const response = await fetch(new URL(ASK_STREAM_PATH, options.searchUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: context.authorization ?? '',
        'x-request-id': context.requestId,
      },
      body: JSON.stringify({ question: prepared.question, filter: prepared.filter }),
      signal: abort.signal,
    });
    if (response.status === 401) {
      yield {
        errors: [{ message: 'Unauthenticated', extensions: { code: ErrorCode.UNAUTHENTICATED } }],
      };
      return;
    }
    if (!response.ok || !response.body) throw new Error(`ask stream answered ${response.status}`);
    for await (const line of lines(response.body)) {
      if ('error' in line) {
        yield { errors: [{ message: line.error.message, extensions: { code: line.error.code } }] };
        return;
      }
      if ('text' in line) {
        yield { data: deltaPayload(prepared, line.text, false, null) };
        continue;
      }
      if (!prepared.hydration) {
        yield { data: deltaPayload(prepared, '', true, null) };
        return;
      }
      const result = await options.execute(prepared.hydration.query, prepared.hydration.variables, {
        ...context,
        requestId: `${ASK_REPLAY_REQUEST_PREFIX}${line.replayId}`,
      });
      const answers = (result.data ?? null) as Record<string, unknown> | null;
      yield {
        data: deltaPayload(prepared, '', true, answers),
        ...(result.errors ? { errors: result.errors } : {}),
      };
      return;
    }
    throw new Error('ask stream ended without its final answer');
  } catch (error) {
    if (abort.signal.aborted) return;
    options.logger.error({ err: error }, 'askStream failed');
    yield {
      errors: [
        { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
      ],
    };
  } finally {
    // The subscriber went away (or we are done): search stops producing the answer.
    abort.abort();
  }
}
