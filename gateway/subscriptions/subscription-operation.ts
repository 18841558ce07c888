import {
  GraphQLError,
  Kind,
  valueFromAST,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What every way of serving a subscription reads from its operation first: the one root field,
 * its schema definition, its arguments with variables applied, and the document's fragments.
 */
export interface SubscriptionRoot {
  root: FieldNode;
  fieldName: string;
  definition: GraphQLField<unknown, unknown> | undefined;
  args: Record<string, unknown>;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
}

export function readSubscriptionRoot(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown> | null | undefined,
): SubscriptionRoot {
  const roots = operation.selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root.kind !== Kind.FIELD || root.directives?.length) {
    throw new GraphQLError(
      'Select exactly one subscription field, without fragments or directives',
    );
  }
  const fieldName = root.name.value;
  const definition = schema.getSubscriptionType()?.getFields()[fieldName];
  const variables = variableValues ?? {};
  const args: Record<string, unknown> = {};
  for (const argument of root.arguments ?? []) {
    const arg = definition?.args.find((a) => a.name === argument.name.value);
    if (arg) args[arg.name] = valueFromAST(argument.value, arg.type, variables);
  }
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { root, fieldName, definition, args, variables, fragments };
}

/** The variables and fragment spreads the given selections and fragments use. */
export function namesUsed(nodes: readonly (SelectionSetNode | FragmentDefinitionNode)[]): {
  variables: Set<string>;
  spreads: Set<string>;
} {
  const variables = new Set<string>();
  const spreads = new Set<string>();
  for (const node of nodes)
    visit(node, {
      Variable: (v) => void variables.add(v.name.value),
      FragmentSpread: (f) => void spreads.add(f.name.value),
    });
  return { variables, spreads };
}

/**
 * The fragments the selections use, directly or through other fragments, and every variable
 * they and those fragments use: what a query cut from the subscription must keep.
 */
export function usedByCut(
  selections: readonly SelectionSetNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): { fragments: Map<string, FragmentDefinitionNode>; variables: Set<string> } {
  const kept = new Map<string, FragmentDefinitionNode>();
  const pending = [...namesUsed(selections).spreads];
  while (pending.length) {
    const name = pending.pop()!;
    const fragment = fragments.get(name);
    if (!fragment || kept.has(name)) continue;
    kept.set(name, fragment);
    pending.push(...namesUsed([fragment]).spreads);
  }
  return { fragments: kept, variables: namesUsed([...selections, ...kept.values()]).variables };
}
