import {
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { SharingRule } from './shared-selection';
import { SUBSCRIPTION_FIELDS, type SubscriptionField } from './subscription-fields';
import { readSubscriptionRoot, usedByCut } from './subscription-operation';

/** The variable the gateway passes the event's entity id in. */
export const EVENT_ENTITY_VARIABLE = 'docentEventEntityId';

export interface RewrittenSubscription {
  field: SubscriptionField;
  fieldName: string;
  /** The subscription field's arguments, with variables applied (they filter events). */
  args: Record<string, unknown>;
  /** The query run per event: the lookup field, aliased to the subscription's response key. */
  query: string;
  /** The variables the query still uses (the entity id is added per event). */
  variables: Record<string, unknown>;
  responseKey: string;
  /** Normalized query + variables: subscribers with the same key and visibility share a run. */
  selectionKey: string;
  /** Every field the query selects is `@sameForOrganization`: one run serves every caller. */
  sameForOrganization: boolean;
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * Rewrites a validated subscription operation into the query that hydrates each event
 * (STACK.md's verified path): `subscription S($id: ID) { d: documentUpdated(id: $id) { title } }`
 * becomes `query S($docentEventEntityId: ID!) { d: document(id: $docentEventEntityId) { title } }`,
 * without the variables and fragments only the root field used.
 */
export function rewriteSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown> | null | undefined,
  sharing: SharingRule,
): RewrittenSubscription {
  const { root, fieldName, definition, args, variables, fragments } = readSubscriptionRoot(
    schema,
    document,
    operation,
    variableValues,
  );
  const field = SUBSCRIPTION_FIELDS[fieldName];
  if (!field || !definition) throw new GraphQLError(`Subscription ${fieldName} is not served`);
  const { fragments: keptFragments, variables: usedVariables } = usedByCut(
    [root.selectionSet!],
    fragments,
  );

  const entityVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ENTITY_VARIABLE } },
    type: {
      kind: Kind.NON_NULL_TYPE,
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } },
    },
  };
  const lookup: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? fieldName },
    name: { kind: Kind.NAME, value: field.lookupField },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: field.lookupArgument },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ENTITY_VARIABLE } },
      },
    ],
    selectionSet: root.selectionSet,
  };
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        name: operation.name,
        variableDefinitions: [
          ...(operation.variableDefinitions ?? []).filter((d) =>
            usedVariables.has(d.variable.name.value),
          ),
          entityVariable,
        ],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [lookup] },
      },
      ...keptFragments.values(),
    ],
  };
  const kept: Record<string, unknown> = {};
  for (const name of usedVariables) if (name in variables) kept[name] = variables[name];
  const printed = print(query);
  return {
    field,
    fieldName,
    args,
    query: printed,
    variables: kept,
    responseKey: root.alias?.value ?? fieldName,
    selectionKey: `${printed}\n${stableStringify(kept)}`,
    sameForOrganization: sharing(query),
  };
}
