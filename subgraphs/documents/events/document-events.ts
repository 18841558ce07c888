import type { Principal } from '../../../core/auth/principal';
import { EventType, type DomainEvent } from '../../../core/events/catalogue';
import type { DocumentRecord } from '../entities/document.entity';

/** The outbox schema the documents subgraph writes its events to. */
export const DOCUMENTS_OUTBOX = 'documents';

/** `document.uploaded`: a document's content is there and waits for the pipeline. */
export interface DocumentUploadedPayload extends Record<string, unknown> {
  documentId: string;
  origin: string;
  title: string;
  filename: string;
  contentType: string;
  byteSize: number;
  sha256: string | null;
  tags: string[];
  uploadedById: string;
}

/** `document.deleted`: consumers drop what they hold about it (chunks, findings, the stored object). */
export interface DocumentDeletedPayload extends Record<string, unknown> {
  documentId: string;
  storageKey: string | null;
  deletedById: string;
}

export function documentUploaded(document: DocumentRecord): DomainEvent<DocumentUploadedPayload> {
  return {
    type: EventType.DocumentUploaded,
    organizationId: document.organizationId,
    aggregateId: document.id,
    payload: {
      documentId: document.id,
      origin: document.origin,
      title: document.title,
      filename: document.filename,
      contentType: document.contentType,
      byteSize: document.byteSize,
      sha256: document.sha256,
      tags: document.tags,
      uploadedById: document.uploadedById,
    },
  };
}

export function documentDeleted(
  document: DocumentRecord,
  deletedBy: Principal,
): DomainEvent<DocumentDeletedPayload> {
  return {
    type: EventType.DocumentDeleted,
    organizationId: document.organizationId,
    aggregateId: document.id,
    payload: {
      documentId: document.id,
      storageKey: document.storageKey,
      deletedById: deletedBy.userId,
    },
  };
}
