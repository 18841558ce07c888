import type { DataSource } from 'typeorm';
import { applyStatsDelta, documentTerms, NO_TERMS } from '../retrieval/bm25/document-postings';

/**
 * Removes a deleted document's chunks (their postings go with them, ON DELETE CASCADE, and their
 * share of the BM25 statistics is subtracted) and leaves
 * a tombstone so that an index job still in flight cannot write them again. Idempotent.
 */
export class RemoveDocumentChunksService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(input: {
    organizationId: string;
    documentId: string;
  }): Promise<{ removed: number }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7301))`, [
        input.documentId,
      ]);
      await manager.query(
        `INSERT INTO search.removed_documents (document_id, organization_id) VALUES ($1, $2)
         ON CONFLICT (document_id) DO NOTHING`,
        [input.documentId, input.organizationId],
      );
      const before = await documentTerms(manager, input.organizationId, input.documentId);
      const [, removed] = (await manager.query(
        `DELETE FROM search.chunks WHERE organization_id = $1 AND document_id = $2`,
        [input.organizationId, input.documentId],
      )) as [unknown, number];
      // The document's share of the BM25 statistics leaves with its chunks.
      if (before.chunks > 0)
        await applyStatsDelta(manager, input.organizationId, input.documentId, before, NO_TERMS);
      return { removed };
    });
  }
}
