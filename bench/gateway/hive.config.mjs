/* global process */
// Hive Gateway (`hive-gateway supergraph … -c bench/gateway/hive.config.mjs`) for the bench: the
// caller's Authorization header goes to every subgraph, as Docent's gateway does; HIVE_CACHE=true
// adds a response cache scoped by that header.
//
// The cache is GraphQL Yoga's response-cache plugin (what Hive's `responseCaching` option wraps),
// plugged in directly: Hive 2.15's wrapper (@graphql-mesh/plugin-response-cache) reads each
// subgraph's `cache-control` header with `cache_control_parser.default.parse`, and
// cache-control-parser 2.2 has no default export, so every request whose subgraph sends
// `cache-control` (Docent's do: cache hints) failed with "Cannot read properties of undefined
// (reading 'parse')". Same cache, same in-memory store, without the broken header reader.
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';

const cached = process.env.HIVE_CACHE === 'true';

export const gatewayConfig = {
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization') ?? '',
    }),
  },
  plugins: () =>
    cached
      ? [
          useResponseCache({
            session: (request) => request.headers.get('authorization'),
            ttl: 60_000,
          }),
        ]
      : [],
};
