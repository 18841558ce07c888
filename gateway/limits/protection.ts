import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../../core/config/config';

/**
 * Limits every operation must pass before the query planner sees it: depth, aliases, root
 * fields, tokens, directives and a static cost budget (graphql-armor's validation rules, run
 * on the gateway's API schema). Rejections are GRAPHQL_VALIDATION_FAILED with a message that
 * names the limit.
 */
export function protection(config: Config): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    // Tokens are capped by graphql-js's own parser (`parseOptions`): one parse, and a syntax
    // error stays GRAPHQL_PARSE_FAILED (armor's token rule parses every document twice).
    maxTokens: { enabled: false },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    costLimit: {
      maxCost: config.GRAPHQL_MAX_COST,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1.5,
      ignoreIntrospection: true,
    },
    // "Did you mean …" would reveal fields to someone probing a schema with introspection off.
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins,
    validationRules: [...validationRules, maxRootFields(config.GRAPHQL_MAX_ROOT_FIELDS)],
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
  };
}

/** At most `limit` fields at the root of an operation, fragments spread at the root included. */
export function maxRootFields(limit: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      let count = 0;
      const visited = new Set<string>();
      const countSelections = (selections: readonly import('graphql').SelectionNode[]) => {
        for (const selection of selections) {
          if (selection.kind === Kind.FIELD) {
            if (selection.name.value !== '__typename') count += 1;
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            countSelections(selection.selectionSet.selections);
          } else {
            const name = selection.name.value;
            if (visited.has(name)) continue;
            visited.add(name);
            const fragment = context.getFragment(name);
            if (fragment) countSelections(fragment.selectionSet.selections);
          }
        }
      };
      countSelections(operation.selectionSet.selections);
      if (count > limit) {
        context.reportError(
          new GraphQLError(`Query root fields limit of ${limit} exceeded, found ${count}.`, {
            nodes: [operation],
          }),
        );
      }
    },
  });
}
