import type { DataSource } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import type { Config } from '../../../core/config/config';
import { LocalQueryEmbedder, ProviderQueryEmbedder } from '../semantic/local-query-embedder';
import { PostgresRetrieval } from './postgres-retrieval';
import type { QueryEmbedder } from './query-embedder';
import type { Retrieval } from './retrieval';

export type { QueryEmbedder, QueryEmbedding } from './query-embedder';
export type * from './retrieval';

/**
 * Retrieval for a search process: the query embedder matching how the indexer embeds chunks
 * (local: the organization's LSA model, hashed vectors before it; openai: the provider), and the
 * ranked legs over PostgreSQL.
 */
export function createRetrieval(
  dataSource: DataSource,
  ai: AiProvider,
  config: Pick<Config, 'AI_PROVIDER'>,
): { retrieval: Retrieval; queryEmbedder: QueryEmbedder } {
  const queryEmbedder =
    config.AI_PROVIDER === 'local'
      ? new LocalQueryEmbedder(dataSource, ai)
      : new ProviderQueryEmbedder(ai);
  return { retrieval: new PostgresRetrieval(dataSource, queryEmbedder), queryEmbedder };
}
