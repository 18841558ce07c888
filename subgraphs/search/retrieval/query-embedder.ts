/** A query's embedding and the model that made it: compare it only with chunks of that model. */
export interface QueryEmbedding {
  model: string;
  vector: number[];
}

/**
 * Embeds a query for one organization the way its chunks were embedded: the organization's
 * current LSA model (local provider), the hashed vectors before it has one, or the provider's
 * embeddings (openai). search, ask, Document.similar and the query-embedding cache all go
 * through it.
 */
export interface QueryEmbedder {
  embed(organizationId: string, text: string): Promise<QueryEmbedding>;
  /** The model a query of the organization is embedded with now (caches key on it). */
  currentModel?(organizationId: string): Promise<string>;
}
