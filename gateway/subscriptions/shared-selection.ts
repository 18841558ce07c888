import {
  buildASTSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { SAME_FOR_ORGANIZATION } from '../../core/graphql/same-for-organization';

/** Whether a hydration query's answer is the same for every caller of an organization. */
export type SharingRule = (query: DocumentNode) => boolean;

const marked = (node: { directives?: readonly ConstDirectiveNode[] } | null | undefined) =>
  node?.directives?.some((d) => d.name.value === SAME_FOR_ORGANIZATION) ?? false;

/** A type some subgraph resolves by reference: the gateway may reach it through `_entities`. */
const isEntity = (type: GraphQLObjectType) =>
  type.astNode?.directives?.some(
    (d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key'),
  ) ?? false;

/**
 * The rule read from the supergraph (core/graphql/same-for-organization.ts says what the mark
 * promises): a query is the same for the whole organization only when every field it selects,
 * through fragments, inline fragments and into every object type an abstract type may be,
 * carries `@sameForOrganization`, and so does every entity type it enters (its reference may be
 * resolved by another subgraph on the way). `__typename` needs no mark. Anything unmarked, an
 * unknown field or type included, answers false: the caller's own hydration, never a shared one.
 *
 * The gateway's API schema drops composed directives' applications, so the rule reads the
 * supergraph SDL, where they and `@join__type(key:)` are.
 */
export function createSharingRule(supergraphSdl: string): SharingRule {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  return (query) => sameForOrganization(schema, query);
}

function sameForOrganization(schema: GraphQLSchema, query: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = [];
  for (const definition of query.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const root = schema.getQueryType();
  if (operations.length !== 1 || operations[0].operation !== 'query' || !root) return false;

  const objectTypesOf = (type: GraphQLCompositeType): readonly GraphQLObjectType[] =>
    isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    spreading: ReadonlySet<string>,
  ): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        return isCompositeType(type) && walk(selection.selectionSet, type, spreading);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spreading.has(name)) return false;
        const type = schema.getType(fragment.typeCondition.name.value);
        return (
          isCompositeType(type) && walk(fragment.selectionSet, type, new Set([...spreading, name]))
        );
      }
      if (selection.name.value === '__typename') return true;
      // Each object type the parent may be resolves the field its own way: all must be marked.
      return objectTypesOf(parent).every((object) => {
        const field = object.getFields()[selection.name.value];
        if (!field || !marked(field.astNode)) return false;
        const type = getNamedType(field.type);
        if (!isCompositeType(type)) return true;
        if (!selection.selectionSet) return false;
        return (
          objectTypesOf(type).every((entered) => !isEntity(entered) || marked(entered.astNode)) &&
          walk(selection.selectionSet, type, spreading)
        );
      });
    });

  return walk(operations[0].selectionSet, root, new Set());
}
