import type { ApolloServerPlugin } from '@apollo/server';
import type { CacheHint, ResolveInfoCacheControl } from '@apollo/cache-control-types';
import { getNamedType } from 'graphql';
import type { SubgraphName } from './subgraph';

/**
 * Which answers of each subgraph may be cached, as cache hints (Apollo's cache-control
 * semantics: a field's hint, or the hint of the type it returns; the response's policy is the
 * most restrictive of them; anything unhinted is not cacheable). A subgraph sends the result as
 * its `cache-control` header; the gateway combines the subgraphs' headers and caches only a
 * response whose every part is cacheable (gateway/cache).
 *
 * What is hinted, and why: data that changes only through this API's mutations or through
 * events of the outbox catalogue, both of which invalidate the gateway's cache for the
 * organization. `PRIVATE` answers are cached per user, the rest per organization and role
 * (today's visibility context); nothing is ever shared across organizations.
 * Not hinted, so never cached: API keys (`lastUsedAt` moves on every use), upload tickets,
 * search and ask results, compliance runs and notifications (not covered by events yet).
 */
const TTL = 60;
const HINTS: Partial<Record<SubgraphName, Record<string, CacheHint>>> = {
  accounts: {
    'Query._entities': { maxAge: TTL },
    'Query.me': { maxAge: TTL, scope: 'PRIVATE' },
    'Query.members': { maxAge: TTL },
    Me: { maxAge: TTL, scope: 'PRIVATE' },
    User: { maxAge: TTL },
    Organization: { maxAge: TTL },
    Membership: { maxAge: TTL },
  },
  documents: {
    'Query._entities': { maxAge: TTL },
    'Query.categories': { maxAge: TTL },
    'Query.document': { maxAge: TTL },
    'Query.documents': { maxAge: TTL },
    Document: { maxAge: TTL },
    // Progress moves between events while a stage runs: a short life bounds how stale it gets.
    Processing: { maxAge: 5 },
    Classification: { maxAge: TTL },
    DocumentFacts: { maxAge: TTL },
    Money: { maxAge: TTL },
    FactDate: { maxAge: TTL },
    User: { maxAge: TTL },
    DocumentConnection: { maxAge: TTL },
    DocumentEdge: { maxAge: TTL },
    PageInfo: { maxAge: TTL },
  },
};

/** Applies the subgraph's hints as each field resolves (after Apollo's cache-control plugin). */
export function cacheHintsPlugin(subgraph: SubgraphName): ApolloServerPlugin {
  const hints = HINTS[subgraph] ?? {};
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              const hint =
                hints[`${info.parentType.name}.${info.fieldName}`] ??
                hints[getNamedType(info.returnType).name];
              // Set by Apollo's cache-control plugin, whose hook runs before this one.
              const control = (info as { cacheControl?: ResolveInfoCacheControl }).cacheControl;
              if (hint && control) control.setCacheHint(hint);
            },
          };
        },
      };
    },
  };
}
