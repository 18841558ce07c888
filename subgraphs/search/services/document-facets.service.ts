import type { DataSource } from 'typeorm';

export interface DocumentFacets {
  organizationId: string;
  documentId: string;
  category: string | null;
  tags: readonly string[];
  createdAt: Date;
  /** When the event that carries these facets happened: older writes never win. */
  eventAt: Date;
}

/**
 * Keeps `search.document_facets` (what search filters by) current from document events.
 * Idempotent and order-tolerant: a redelivered or late event older than the row changes nothing,
 * and a removed document (tombstoned in `search.removed_documents`) never comes back.
 */
export class DocumentFacetsService {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(facets: DocumentFacets): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO search.document_facets
         (document_id, organization_id, category, tags, created_at, event_at)
       SELECT $1, $2, $3, $4::text[], $5, $6
       WHERE NOT EXISTS (SELECT 1 FROM search.removed_documents r WHERE r.document_id = $1)
       ON CONFLICT (document_id) DO UPDATE
         SET category = EXCLUDED.category, tags = EXCLUDED.tags,
             created_at = EXCLUDED.created_at, event_at = EXCLUDED.event_at
         WHERE search.document_facets.organization_id = EXCLUDED.organization_id
           AND search.document_facets.event_at <= EXCLUDED.event_at`,
      [
        facets.documentId,
        facets.organizationId,
        facets.category,
        [...facets.tags],
        facets.createdAt,
        facets.eventAt,
      ],
    );
  }

  /**
   * Drops a deleted document's facets and tombstones it at once, so that an update event
   * delivered late cannot bring the row back (the chunks' removal writes the same tombstone).
   */
  async remove(organizationId: string, documentId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO search.removed_documents (document_id, organization_id) VALUES ($1, $2)
         ON CONFLICT (document_id) DO NOTHING`,
        [documentId, organizationId],
      );
      await manager.query(
        `DELETE FROM search.document_facets WHERE organization_id = $1 AND document_id = $2`,
        [organizationId, documentId],
      );
    });
  }
}
