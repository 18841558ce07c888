import type { DataSource, EntityManager } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import {
  applyStatsDelta,
  documentTerms,
  NO_TERMS,
  needsImpactRefresh,
  writeDocumentPostings,
} from '../retrieval/bm25/document-postings';
import { chunkPages, DEFAULT_CHUNKING, type ChunkOptions, type PageText } from './chunk-pages';
import { TextSearchConfigs } from './text-search-config';

export interface IndexDocumentInput {
  organizationId: string;
  documentId: string;
  pages: readonly PageText[];
  /** ISO 639-1 code or configuration name; detected from the text when absent. */
  language?: string | null;
}

export interface IndexDocumentResult {
  /** False when the document was removed before (its chunks must not come back). */
  indexed: boolean;
  chunkCount: number;
  textSearchConfig: string;
  embeddingModel: string;
  /** The organization's chunk count after this write (drives LSA training). */
  organizationChunks: number;
  /** The stored BM25 impacts were computed with an average length that has since drifted. */
  impactsNeedRefresh: boolean;
}

/**
 * Embeds the new chunks with the organization's own model inside the indexing transaction (the
 * local provider's LSA fold-in, subgraphs/search/semantic); answers the model name it used, or
 * null when the organization has no model yet and the provider's embeddings stay.
 */
export interface ChunkFolder {
  /**
   * Taken first in the indexing transaction: holds off a model switch until this write commits
   * (a switch waiting behind it then embeds these chunks with the new model).
   */
  holdModel(manager: EntityManager, organizationId: string): Promise<void>;
  foldDocument(
    manager: EntityManager,
    organizationId: string,
    documentId: string,
  ): Promise<string | null>;
}

/** Texts per call to the provider's embed(). */
const EMBED_BATCH = 64;

/**
 * Chunks a document's pages, embeds the chunks through the AI provider and replaces the
 * document's chunks in one transaction: running it again gives the same rows, never duplicates.
 * `tsv` is computed by PostgreSQL with the document's text-search configuration. Embedding runs
 * before the transaction opens, so a slow provider never holds locks.
 */
export class IndexDocumentService {
  private readonly configs: TextSearchConfigs;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ai: AiProvider,
    private readonly chunking: ChunkOptions = DEFAULT_CHUNKING,
    private readonly folder: ChunkFolder | null = null,
  ) {
    this.configs = new TextSearchConfigs(dataSource);
  }

  async execute(input: IndexDocumentInput): Promise<IndexDocumentResult> {
    const chunks = chunkPages(input.pages, this.chunking);
    const sample = chunks
      .slice(0, 3)
      .map((c) => c.text)
      .join(' ');
    const textSearchConfig = await this.configs.resolve(input.language, sample);
    const embeddings: number[][] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH)
      embeddings.push(
        ...(await this.ai.embed(chunks.slice(i, i + EMBED_BATCH).map((c) => c.text))),
      );
    if (embeddings.length !== chunks.length)
      throw new Error(
        `The AI provider returned ${embeddings.length} embeddings for ${chunks.length} chunks`,
      );

    const result = {
      chunkCount: chunks.length,
      textSearchConfig,
      embeddingModel: this.ai.embeddingModel,
      organizationChunks: 0,
      impactsNeedRefresh: false,
    };
    return this.dataSource.transaction(async (manager) => {
      // One indexer at a time per document: two concurrent runs would otherwise interleave.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7301))`, [
        input.documentId,
      ]);
      const removed = await manager.query<unknown[]>(
        `SELECT 1 FROM search.removed_documents WHERE document_id = $1`,
        [input.documentId],
      );
      if (removed.length > 0) return { ...result, indexed: false, chunkCount: 0 };
      await this.folder?.holdModel(manager, input.organizationId);
      // BM25 postings and statistics move with the chunks, in this transaction.
      const before = await documentTerms(manager, input.organizationId, input.documentId);
      await manager.query(
        `DELETE FROM search.chunks WHERE organization_id = $1 AND document_id = $2`,
        [input.organizationId, input.documentId],
      );
      if (chunks.length > 0) {
        await manager.query(
          `INSERT INTO search.chunks
             (organization_id, document_id, index, page, text, token_count, embedding, embedding_model,
              text_search_config, tsv)
           SELECT $1, $2, c.index, c.page, c.text, c.token_count, c.embedding::public.vector, $3,
                  $4::text, to_tsvector($4::text::regconfig, c.text)
             FROM unnest($5::int[], $6::int[], $7::text[], $8::int[], $9::text[])
                  AS c(index, page, text, token_count, embedding)`,
          [
            input.organizationId,
            input.documentId,
            this.ai.embeddingModel,
            textSearchConfig,
            chunks.map((c) => c.index),
            chunks.map((c) => c.page),
            chunks.map((c) => c.text),
            chunks.map((c) => c.tokenCount),
            embeddings.map((e) => `[${usableVector(e).join(',')}]`),
          ],
        );
        await writeDocumentPostings(manager, input.organizationId, input.documentId);
      }
      const after =
        chunks.length > 0
          ? await documentTerms(manager, input.organizationId, input.documentId)
          : NO_TERMS;
      const stats = await applyStatsDelta(
        manager,
        input.organizationId,
        input.documentId,
        before,
        after,
      );
      const foldedWith =
        chunks.length > 0 && this.folder
          ? await this.folder.foldDocument(manager, input.organizationId, input.documentId)
          : null;
      return {
        ...result,
        embeddingModel: foldedWith ?? result.embeddingModel,
        organizationChunks: stats.chunkCount,
        impactsNeedRefresh: needsImpactRefresh(stats),
        indexed: true,
      };
    });
  }
}

/**
 * Cosine distance is undefined for the zero vector (text of stop words only); such a chunk gets
 * a fixed unit vector instead, which ranks it far from everything but never breaks the index.
 */
function usableVector(vector: number[]): number[] {
  return vector.some((v) => v !== 0) ? vector : vector.map((_, i) => (i === 0 ? 1 : 0));
}
