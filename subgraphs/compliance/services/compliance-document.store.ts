import type { EntityManager } from 'typeorm';
import type { ExtractedFacts } from '../../../core/ai/ai-provider';
import type { EvaluatedDocument } from '../rules/evaluated-document';

/** Documents longer than this are judged on their first this-many characters. */
export const MAX_STORED_TEXT = 2_000_000;

interface DocumentRow {
  document_id: string;
  organization_id: string;
  title: string;
  category: string | null;
  category_confidence: number | null;
  tags: string[];
  facts: ExtractedFacts | null;
  expires_on: string | null;
  created_at: Date;
  text: string;
}

const COLUMNS = `document_id, organization_id, title, category, category_confidence, tags, facts,
  to_char(expires_on, 'YYYY-MM-DD') AS expires_on, created_at, text`;

function toDocument(row: DocumentRow): EvaluatedDocument {
  return {
    id: row.document_id,
    organizationId: row.organization_id,
    title: row.title,
    category: row.category,
    categoryConfidence: row.category_confidence,
    tags: row.tags,
    facts: row.facts,
    expiresOn: row.expires_on,
    createdAt: row.created_at,
    text: row.text,
  };
}

/** Which processed documents a run's batches cover. */
export type DocumentSelection = 'ALL' | 'EXPIRING';

function selectionSql(selection: DocumentSelection): string {
  return selection === 'EXPIRING'
    ? 'processed_at IS NOT NULL AND expires_on IS NOT NULL'
    : 'processed_at IS NOT NULL';
}

export interface ProcessedDocumentFields {
  documentId: string;
  organizationId: string;
  title: string;
  category: string | null;
  categoryConfidence: number | null;
  tags: string[];
  facts: Record<string, unknown> | null;
  expiresOn: string | null;
  text: string;
  createdAt: string;
  occurredAt: string;
}

export interface FacetFields {
  documentId: string;
  organizationId: string;
  title: string;
  category: string | null;
  categoryConfidence: number | null;
  tags: string[];
  createdAt: string;
  occurredAt: string;
}

/** The advisory-lock namespace of one document's writes in compliance (see `claim`). */
const DOCUMENT_LOCK_SEED = 7311;

/**
 * compliance.documents: every read and write names the organization (the org filter is inside
 * the SQL, here and only here). A removed document leaves a tombstone
 * (`compliance.removed_documents`) and no later event brings it back.
 */
export class ComplianceDocumentStore {
  async load(
    manager: EntityManager,
    organizationId: string,
    documentIds: string[],
  ): Promise<EvaluatedDocument[]> {
    const rows: DocumentRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM compliance.documents
       WHERE organization_id = $1 AND document_id = ANY($2::uuid[]) AND processed_at IS NOT NULL`,
      [organizationId, documentIds],
    );
    return rows.map(toDocument);
  }

  /**
   * One batch's documents: the keyset range (after, last] of the organization. FOR KEY SHARE
   * makes a concurrent `remove` wait until the batch's findings are committed, so that its
   * delete of the findings sees them (it does not block updates of the rows).
   */
  async loadRange(
    manager: EntityManager,
    organizationId: string,
    selection: DocumentSelection,
    afterId: string | null,
    lastId: string,
  ): Promise<EvaluatedDocument[]> {
    const rows: DocumentRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM compliance.documents
       WHERE organization_id = $1 AND ($2::uuid IS NULL OR document_id > $2) AND document_id <= $3
         AND ${selectionSql(selection)}
       ORDER BY document_id
       FOR KEY SHARE`,
      [organizationId, afterId, lastId],
    );
    return rows.map(toDocument);
  }

  /**
   * The last document id of the next batch after `afterId`: a keyset walk that reads ids
   * from the index only, never the documents themselves.
   */
  async nextBoundary(
    manager: EntityManager,
    organizationId: string,
    selection: DocumentSelection,
    afterId: string | null,
    batchSize: number,
  ): Promise<string | null> {
    const rows: { document_id: string }[] = await manager.query(
      `SELECT document_id FROM (
         SELECT document_id FROM compliance.documents
         WHERE organization_id = $1 AND ($2::uuid IS NULL OR document_id > $2) AND ${selectionSql(selection)}
         ORDER BY document_id LIMIT $3) page
       ORDER BY document_id DESC LIMIT 1`,
      [organizationId, afterId, batchSize],
    );
    return rows[0]?.document_id ?? null;
  }

  /**
   * Serializes the writes of one document (until the caller's transaction ends) and tells
   * whether it may still be written: false once it was removed. Without the lock, an event
   * inserting the row anew could commit after a concurrent `remove` that could not see it.
   */
  private async claim(manager: EntityManager, documentId: string): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, $2))`, [
      documentId,
      DOCUMENT_LOCK_SEED,
    ]);
    const removed: unknown[] = await manager.query(
      `SELECT 1 FROM compliance.removed_documents WHERE document_id = $1`,
      [documentId],
    );
    return removed.length === 0;
  }

  /** document.uploaded: the row exists (PENDING) and knows whom to notify. */
  async recordUpload(
    manager: EntityManager,
    fields: Pick<FacetFields, 'documentId' | 'organizationId' | 'title' | 'tags' | 'occurredAt'> & {
      uploadedById: string | null;
    },
  ): Promise<boolean> {
    if (!(await this.claim(manager, fields.documentId))) return false;
    const rows: unknown[] = await manager.query(
      `INSERT INTO compliance.documents (document_id, organization_id, title, tags, uploaded_by_id, created_at, event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (document_id) DO UPDATE SET uploaded_by_id = EXCLUDED.uploaded_by_id
       WHERE documents.organization_id = EXCLUDED.organization_id
       RETURNING document_id`,
      [
        fields.documentId,
        fields.organizationId,
        fields.title,
        fields.tags,
        fields.uploadedById,
        fields.occurredAt,
      ],
    );
    return rows.length > 0;
  }

  /**
   * document.processed: everything the rules read. False when a newer event already wrote or
   * the document was removed.
   */
  async recordProcessed(manager: EntityManager, d: ProcessedDocumentFields): Promise<boolean> {
    if (!(await this.claim(manager, d.documentId))) return false;
    const rows: unknown[] = await manager.query(
      `INSERT INTO compliance.documents AS d (document_id, organization_id, title, category, category_confidence,
         tags, facts, expires_on, text, created_at, processed_at, event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT (document_id) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category,
         category_confidence = EXCLUDED.category_confidence, tags = EXCLUDED.tags, facts = EXCLUDED.facts,
         expires_on = EXCLUDED.expires_on, text = EXCLUDED.text, created_at = EXCLUDED.created_at,
         processed_at = EXCLUDED.processed_at, event_at = EXCLUDED.event_at
       WHERE d.organization_id = EXCLUDED.organization_id AND d.event_at <= EXCLUDED.event_at
       RETURNING document_id`,
      [
        d.documentId,
        d.organizationId,
        d.title,
        d.category,
        d.categoryConfidence,
        d.tags,
        d.facts === null ? null : JSON.stringify(d.facts),
        d.expiresOn,
        d.text.slice(0, MAX_STORED_TEXT),
        d.createdAt,
        d.occurredAt,
      ],
    );
    return rows.length > 0;
  }

  /** document.updated: title, tags, category changed; text and facts stay. False as above. */
  async recordFacets(manager: EntityManager, d: FacetFields): Promise<boolean> {
    if (!(await this.claim(manager, d.documentId))) return false;
    const rows: unknown[] = await manager.query(
      `INSERT INTO compliance.documents AS d (document_id, organization_id, title, category, category_confidence,
         tags, created_at, event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (document_id) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category,
         category_confidence = EXCLUDED.category_confidence, tags = EXCLUDED.tags, event_at = EXCLUDED.event_at
       WHERE d.organization_id = EXCLUDED.organization_id AND d.event_at <= EXCLUDED.event_at
       RETURNING document_id`,
      [
        d.documentId,
        d.organizationId,
        d.title,
        d.category,
        d.categoryConfidence,
        d.tags,
        d.createdAt,
        d.occurredAt,
      ],
    );
    return rows.length > 0;
  }

  /**
   * document.deleted: the copy and its findings go (a finding must name a document that exists)
   * and a tombstone stays. The row goes first: its delete waits for a batch evaluating it
   * (FOR KEY SHARE), so the findings delete, a later statement, sees what that batch wrote.
   */
  async remove(manager: EntityManager, organizationId: string, documentId: string): Promise<void> {
    await this.claim(manager, documentId);
    await manager.query(
      `INSERT INTO compliance.removed_documents (document_id, organization_id) VALUES ($1, $2)
       ON CONFLICT (document_id) DO NOTHING`,
      [documentId, organizationId],
    );
    await manager.query(
      `DELETE FROM compliance.documents WHERE organization_id = $1 AND document_id = $2`,
      [organizationId, documentId],
    );
    await manager.query(
      `DELETE FROM compliance.findings WHERE organization_id = $1 AND document_id = $2`,
      [organizationId, documentId],
    );
  }

  async uploaders(
    manager: EntityManager,
    organizationId: string,
    documentIds: string[],
  ): Promise<Map<string, string | null>> {
    const rows: { document_id: string; uploaded_by_id: string | null }[] = await manager.query(
      `SELECT document_id, uploaded_by_id FROM compliance.documents WHERE organization_id = $1 AND document_id = ANY($2::uuid[])`,
      [organizationId, documentIds],
    );
    return new Map(rows.map((r) => [r.document_id, r.uploaded_by_id]));
  }
}
