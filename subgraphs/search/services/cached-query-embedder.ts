import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/logging/logger';
import type { QueryEmbedder, QueryEmbedding } from '../retrieval/query-embedder';

/** A query embedder that can say, cheaply, which model it would embed with now. */
export interface VersionedQueryEmbedder extends QueryEmbedder {
  /** The model (and version) a query of this organization is embedded with now. */
  currentModel(organizationId: string): Promise<string>;
}

/** One hour: a repeated query is served from Redis; a retired model's entries age out. */
export const QUERY_EMBEDDING_TTL_SECONDS = 3_600;

/**
 * Case, Unicode form and spacing do not change what a query asks (every embedder lowercases and
 * tokenizes), so they do not make another cache entry.
 */
export function normalizeQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Cache-aside in Redis for query embeddings, keyed by organization, model version and a hash of
 * the normalized query: a model switch changes the key, so a query is never compared with
 * chunks of another model, and entries expire after a bounded TTL. Redis failing only costs the
 * cache: the query is embedded as if it were a miss.
 */
export class CachedQueryEmbedder implements QueryEmbedder {
  constructor(
    private readonly inner: VersionedQueryEmbedder,
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly ttlSeconds = QUERY_EMBEDDING_TTL_SECONDS,
  ) {}

  async embed(organizationId: string, text: string): Promise<QueryEmbedding> {
    const model = await this.inner.currentModel(organizationId);
    const key = this.key(organizationId, model, text);
    const cached = await this.redis.getBuffer(key).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'query embedding cache read failed');
      return null;
    });
    if (cached && cached.length > 0 && cached.length % 4 === 0)
      return { model, vector: Array.from(new Float32Array(toArrayBuffer(cached))) };
    const embedding = await this.inner.embed(organizationId, text);
    // A model switch between the two reads: store under the model that actually embedded it.
    const storeKey =
      embedding.model === model ? key : this.key(organizationId, embedding.model, text);
    await this.redis
      .set(storeKey, Buffer.from(new Float32Array(embedding.vector).buffer), 'EX', this.ttlSeconds)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'query embedding cache write failed'),
      );
    return embedding;
  }

  currentModel(organizationId: string): Promise<string> {
    return this.inner.currentModel(organizationId);
  }

  private key(organizationId: string, model: string, text: string): string {
    const hash = createHash('sha256').update(normalizeQuery(text)).digest('base64url');
    return `query-embedding:${organizationId}:${model}:${hash}`;
  }
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}
