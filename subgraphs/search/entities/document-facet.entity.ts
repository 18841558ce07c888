import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What search filters a document by, copied from document events (the documents subgraph owns
 * the document). One row per document that has been processed or updated.
 */
@Entity({ name: 'document_facets' })
export class DocumentFacetRecord {
  @PrimaryColumn('uuid', { name: 'document_id' })
  documentId: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text', { nullable: true })
  category: string | null;

  @Column('text', { array: true })
  tags: string[];

  /** When the document was created (the document's own time, not this row's). */
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** `occurredAt` of the event that last wrote the row. */
  @Column({ name: 'event_at', type: 'timestamptz', precision: 3 })
  eventAt: Date;
}
