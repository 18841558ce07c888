import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { DocumentOrigin } from './document-origin';
import type { DocumentStatus } from './document-status';
import type { PipelineStage } from './pipeline-stage';

/**
 * One document of an organization. The table already holds what the upload flow and the
 * pipeline will write (storage key, processing state, summary, facts, ...): the API exposes
 * a column only once something fills it.
 */
@Entity({ name: 'documents' })
export class DocumentRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'uploaded_by_id' })
  uploadedById: string;

  @Column('text')
  origin: DocumentOrigin;

  @Column('text')
  title: string;

  @Column('text')
  filename: string;

  @Column('text', { name: 'content_type' })
  contentType: string;

  @Column('integer', { name: 'byte_size' })
  byteSize: number;

  /** Hex SHA-256 of the original bytes; null until an upload's bytes are there. */
  @Column('text', { nullable: true })
  sha256: string | null;

  /** Where the original bytes are in object storage; null for documents created from text. */
  @Column('text', { name: 'storage_key', nullable: true })
  storageKey: string | null;

  /**
   * The document's text (for text documents, what was submitted; for uploads, what the
   * pipeline extracts). Up to a million characters: never loaded with the row, read in
   * windows by the `text` field.
   */
  @Column('text', { nullable: true, select: false })
  text: string | null;

  @Column('text')
  status: DocumentStatus;

  @Column('text', { name: 'processing_stage', nullable: true })
  processingStage: PipelineStage | null;

  /** 0..1 */
  @Column('real', { name: 'processing_progress', default: 0 })
  processingProgress: number;

  @Column('integer', { name: 'processing_attempts', default: 0 })
  processingAttempts: number;

  @Column('text', { name: 'processing_error', nullable: true })
  processingError: string | null;

  @Column({ type: 'timestamptz', name: 'processing_started_at', nullable: true, precision: 3 })
  processingStartedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'processing_finished_at', nullable: true, precision: 3 })
  processingFinishedAt: Date | null;

  /** The pipeline run the document's jobs belong to; a reprocess starts a new run and older jobs stop. */
  @Column('uuid', { name: 'processing_run_id', nullable: true })
  processingRunId: string | null;

  /** Milliseconds each stage took in the latest run, by stage. */
  @Column('jsonb', { name: 'processing_timings', default: () => "'{}'" })
  processingTimings: Record<string, number>;

  /** A PDF whose pages carry no text layer (scanned): processed, but it needs OCR for text. */
  @Column('boolean', { name: 'needs_ocr', default: false })
  needsOcr: boolean;

  /** An earlier document of the organization with the same bytes, when there is one. */
  @Column('uuid', { name: 'duplicate_of_id', nullable: true })
  duplicateOfId: string | null;

  /** The category label: set by the classifier, or by a person (then overridden, confidence 1). */
  @Column('text', { nullable: true })
  category: string | null;

  @Column('double precision', { name: 'category_confidence', nullable: true })
  categoryConfidence: number | null;

  /** True when a person chose the category: the classifier must not replace it. */
  @Column('boolean', { name: 'category_overridden', default: false })
  categoryOverridden: boolean;

  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  @Column('text', { nullable: true })
  summary: string | null;

  @Column('jsonb', { nullable: true })
  facts: Record<string, unknown> | null;

  @Column('integer', { name: 'page_count', nullable: true })
  pageCount: number | null;

  @Column('text', { nullable: true })
  language: string | null;

  /** The expiry date among the facts, kept as a column for the expiringBefore filter and expiry alerts. */
  @Column('date', { name: 'expires_on', nullable: true })
  expiresOn: string | null;

  /** When an upload ticket lapses; abandoned AWAITING_UPLOAD rows are swept after it. */
  @Column({ type: 'timestamptz', name: 'upload_expires_at', nullable: true, precision: 3 })
  uploadExpiresAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', name: 'processed_at', nullable: true, precision: 3 })
  processedAt: Date | null;
}
