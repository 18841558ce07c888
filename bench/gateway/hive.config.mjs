/* global process */
// Hive Gateway (`hive-gateway supergraph … -c bench/gateway/hive.config.mjs`) for the bench: the
// caller's Authorization header goes to every subgraph, as Docent's gateway does; HIVE_CACHE=true
// adds Hive's response cache, scoped by that header.
export const gatewayConfig = {
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization') ?? '',
    }),
  },
  ...(process.env.HIVE_CACHE === 'true'
    ? {
        responseCaching: {
          session: (request) => request.headers.get('authorization'),
          ttl: 60_000,
        },
      }
    : {}),
};
