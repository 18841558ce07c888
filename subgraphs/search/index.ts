import type { SubgraphDefinition } from '../../core/graphql/subgraph';
import { ChunkRecord } from './entities/chunk.entity';
import { CorpusStatRecord } from './entities/corpus-stat.entity';
import { DocumentFacetRecord } from './entities/document-facet.entity';
import { PostingRecord } from './entities/posting.entity';
import { TermStatRecord } from './entities/term-stat.entity';
import { CreateSearchIndex1764000001000 } from './migrations/1764000001000-create-search-index';
import { ChunkTextSearchConfig1764000002000 } from './migrations/1764000002000-chunk-text-search-config';
import { CreateDocumentFacets1764300000000 } from './migrations/1764300000000-create-document-facets';
import { Bm25ImpactsAndLsaModels1764400001000 } from './migrations/1764400001000-bm25-impacts-and-lsa-models';
import { LsaEmbeddingsPerVersion1764600000000 } from './migrations/1764600000000-lsa-embeddings-per-version';
import { ASK_STREAM_PATH } from '../../core/graphql/ask-stream-protocol';
import { askStreamRoute } from './http/ask-stream.route';
import { DocumentResolver, resolveDocumentReference } from './resolvers/document.resolver';
import { Document } from './resolvers/document.types';
import { SearchResolver } from './resolvers/search.resolver';
import { createSearchServices, type SearchServices } from './services';

export const searchSubgraph: SubgraphDefinition<SearchServices> = {
  name: 'search',
  port: (config) => config.SEARCH_PORT,
  entities: [ChunkRecord, PostingRecord, TermStatRecord, CorpusStatRecord, DocumentFacetRecord],
  migrations: [
    CreateSearchIndex1764000001000,
    ChunkTextSearchConfig1764000002000,
    CreateDocumentFacets1764300000000,
    Bm25ImpactsAndLsaModels1764400001000,
    LsaEmbeddingsPerVersion1764600000000,
  ],
  resolvers: [SearchResolver, DocumentResolver],
  // Document is reached through `_entities` and search's own types; named for type-graphql.
  orphanedTypes: [Document],
  createServices: createSearchServices,
  routes: (services) => ({
    [ASK_STREAM_PATH]: askStreamRoute({
      verifier: services.verifier,
      ask: services.ask,
      replays: services.askReplays,
      logger: services.logger,
    }),
  }),
  referenceResolvers: () => ({
    Document: {
      __resolveReference: (reference: { id: string }) => resolveDocumentReference(reference),
    },
  }),
};
