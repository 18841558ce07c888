import type { DataSource } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import type { QueryEmbedder, QueryEmbedding } from '../retrieval/query-embedder';
import { parseSearchText } from '../retrieval/search-text';
import { foldIn } from './lsa-model';
import { currentLsaModel, lsaTermVectors, queryTerms } from './lsa-store';

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
    const model = await currentLsaModel(this.dataSource, organizationId);
    if (!model) {
      const [vector] = await this.ai.embed([ranking]);
      return { model: this.ai.embeddingModel, vector };
    }
    const terms = await queryTerms(this.dataSource, organizationId, ranking);
    const vectors = await lsaTermVectors(
      this.dataSource,
      model.id,
      terms.map((t) => t.lexeme),
    );
    return {
      model: model.name,
      vector: foldIn(
        terms.map((t) => ({ tf: t.tf, vector: vectors.get(t.lexeme) })),
        model.dimensions,
        this.ai.dimensions,
      ),
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
