import type { AiProvider } from '../../../core/ai/ai-provider';
import type { QueryEmbedder, QueryEmbedding } from '../retrieval/query-embedder';

/**
 * A query embedded by the AI provider itself: what openai does always, and the local provider's
 * hashed vectors do until an organization has a learned model (the retrieval's own embedder,
 * which knows the organization's LSA model, replaces it where it exists).
 */
export class ProviderQueryEmbedder implements QueryEmbedder {
  constructor(private readonly ai: AiProvider) {}

  async embed(_organizationId: string, text: string): Promise<QueryEmbedding> {
    const [vector] = await this.ai.embed([text]);
    return { model: this.ai.embeddingModel, vector };
  }

  currentModel(): Promise<string> {
    return Promise.resolve(this.ai.embeddingModel);
  }
}
