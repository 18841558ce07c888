import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import {
  buildSchema,
  createResolversMap,
  type ContainerType,
  type NonEmptyArray,
} from 'type-graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeScalar } from './scalars';
import { SHARING_SPEC_SDL } from './same-for-organization';
import { validateInput } from './validate-input';

/** Subgraphs never execute subscriptions: the gateway does, from the relay's events. */
const GATEWAY_SERVED_SUBSCRIPTIONS = {
  publish: () => undefined,
  subscribe: (): never => {
    throw new Error('Subscriptions are served by the gateway over graphql-ws, not by subgraphs');
  },
};

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@composeDirective"])';

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  /** `__resolveReference` per entity type this subgraph can resolve. */
  referenceResolvers?: GraphQLResolverMap<unknown>;
  /**
   * Types no root field reaches (type-graphql 2 prints only reachable types): an entity that
   * this subgraph only extends with fields, e.g. search's `Document { chunkCount }`.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  container?: ContainerType;
}

/**
 * type-graphql classes → a Federation 2 subgraph schema (the path STACK.md verified):
 * print with directives, add the federation link, rebuild with @apollo/subgraph.
 */
export async function buildFederatedSchema(
  options: FederatedSchemaOptions,
): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    skipCheck: true,
    orphanedTypes: options.orphanedTypes,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
    container: options.container,
    // Subscription fields are declared here and served by the gateway (gateway/subscriptions/).
    pubSub: GATEWAY_SERVED_SUBSCRIPTIONS,
  });
  const typeDefs = gql(
    `${FEDERATION_LINK}\n${SHARING_SPEC_SDL}\n${printSchemaWithDirectives(typeGraphqlSchema)}`,
  );
  const resolverMap = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolvers] of Object.entries(options.referenceResolvers ?? {})) {
    resolverMap[typeName] = {
      ...(resolverMap[typeName] as object),
      ...(resolvers as object),
    } as never;
  }
  return buildSubgraphSchema({ typeDefs, resolvers: resolverMap });
}
