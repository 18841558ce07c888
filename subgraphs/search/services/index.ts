import { createAiProvider } from '../../../core/ai';
import { CredentialVerifier } from '../../../core/auth/credential-verifier';
import { RemoteApiKeyResolver } from '../../../core/auth/remote-api-key-resolver';
import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import type { Logger } from '../../../core/logging/logger';
import { PostgresRetrieval } from '../retrieval/postgres-retrieval';
import { LocalQueryEmbedder, ProviderQueryEmbedder } from '../semantic/local-query-embedder';
import { AskReplayStore } from './ask-replay-store';
import { AskService } from './ask.service';
import { CachedQueryEmbedder } from './cached-query-embedder';
import { CountDocumentChunksService } from './count-document-chunks.service';
import { SearchService } from './search.service';
import { SimilarService } from './similar.service';

export interface SearchServices {
  countDocumentChunks: CountDocumentChunksService;
  search: SearchService;
  ask: AskService;
  askReplays: AskReplayStore;
  similar: SimilarService;
  /** Verifies the credential of askStream's internal endpoint (http/ask-stream.route.ts). */
  verifier: CredentialVerifier;
  logger: Logger;
}

export function createSearchServices(runtime: SubgraphRuntime): SearchServices {
  const { dataSource, redis, logger, config } = runtime;
  const ai = createAiProvider(config);
  // Queries are embedded as the organization's chunks are (local: its current LSA model, hashed
  // vectors before it has one; openai: the provider), through the Redis cache.
  const embedder = new CachedQueryEmbedder(
    config.AI_PROVIDER === 'local'
      ? new LocalQueryEmbedder(dataSource, ai)
      : new ProviderQueryEmbedder(ai),
    redis,
    logger,
  );
  const retrieval = new PostgresRetrieval(dataSource, embedder);
  return {
    countDocumentChunks: new CountDocumentChunksService(dataSource),
    search: new SearchService(dataSource, retrieval),
    ask: new AskService(dataSource, retrieval, ai, logger),
    askReplays: new AskReplayStore(redis),
    similar: new SimilarService(dataSource, retrieval),
    verifier: new CredentialVerifier(
      runtime.accessTokens,
      RemoteApiKeyResolver.fromAccountsGraphqlUrl(config.ACCOUNTS_URL),
    ),
    logger,
  };
}
