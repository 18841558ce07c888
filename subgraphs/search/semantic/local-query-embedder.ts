import type { DataSource } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import type { QueryEmbedder, QueryEmbedding } from '../retrieval/query-embedder';
import { parseSearchText } from '../retrieval/search-text';
import { foldIn } from './lsa-model';
import { currentLsaModel, lsaQueryTerms } from './lsa-store';

/**
 * AI_PROVIDER=local: a query is folded into the organization's current LSA model (reading only
 * its own lexemes' rows); before the organization has a model, the provider's hashed vectors.
 */
export class LocalQueryEmbedder implements QueryEmbedder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ai: AiProvider,
  ) {}

  /** The model a query of the organization is embedded with now (a cache keys on it). */
  async currentModel(organizationId: string): Promise<string> {
    return (await currentLsaModel(this.dataSource, organizationId))?.name ?? this.ai.embeddingModel;
  }

  async embed(organizationId: string, text: string): Promise<QueryEmbedding> {
    const ranking = parseSearchText(text).rankingText;
    // The model, the query's lexemes and their term rows in one round trip.
    const folding = await lsaQueryTerms(this.dataSource, organizationId, ranking);
    if (!folding) {
      const [vector] = await this.ai.embed([ranking]);
      return { model: this.ai.embeddingModel, vector };
    }
    return {
      model: folding.model.name,
      vector: foldIn(folding.terms, folding.model.dimensions, this.ai.dimensions),
    };
  }
}

/** AI_PROVIDER=openai (or any provider whose embeddings need no per-organization model). */
export class ProviderQueryEmbedder implements QueryEmbedder {
  constructor(private readonly ai: AiProvider) {}

  async embed(_organizationId: string, text: string): Promise<QueryEmbedding> {
    const [vector] = await this.ai.embed([parseSearchText(text).rankingText || text]);
    return { model: this.ai.embeddingModel, vector };
  }

  currentModel(): Promise<string> {
    return Promise.resolve(this.ai.embeddingModel);
  }
}
