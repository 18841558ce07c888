import type { Principal } from '../../../core/auth/principal';
import { EventType, type DomainEvent } from '../../../core/events/catalogue';
import { extractedKey } from '../../../core/storage/storage-key';
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

/** `document.processing`, `document.processed`, `document.failed`: where the pipeline is with a document. */
export interface DocumentProgressPayload extends DocumentFacetsPayload {
  documentId: string;
  status: string;
  stage: string | null;
  error: string | null;
  runId: string | null;
  expiresOn: string | null;
  /** Set on `document.processed`: what the pipeline read, for consumers that keep their own copy. */
  facts: Record<string, unknown> | null;
  /** Storage key of the extracted pages (`{ pages: [{ page, text }] }`), set on `document.processed`. */
  extractedKey: string | null;
}

/**
 * What other domains filter and judge a document by (search filters, compliance scopes), carried
 * on every event that can change it so their copies stay current without reading our schema.
 */
export interface DocumentFacetsPayload extends Record<string, unknown> {
  title: string;
  category: string | null;
  categoryConfidence: number | null;
  tags: string[];
  language: string | null;
  /** ISO-8601. */
  createdAt: string;
}

function facetsOf(document: DocumentRecord): DocumentFacetsPayload {
  return {
    title: document.title,
    category: document.category,
    categoryConfidence: document.categoryConfidence,
    tags: document.tags,
    language: document.language,
    createdAt: document.createdAt.toISOString(),
  };
}

function progressEvent(
  type:
    | typeof EventType.DocumentProcessing
    | typeof EventType.DocumentProcessed
    | typeof EventType.DocumentFailed,
  document: DocumentRecord,
): DomainEvent<DocumentProgressPayload> {
  return {
    type,
    organizationId: document.organizationId,
    aggregateId: document.id,
    payload: {
      documentId: document.id,
      status: document.status,
      stage: document.processingStage,
      error: document.processingError,
      runId: document.processingRunId,
      expiresOn: document.expiresOn,
      ...facetsOf(document),
      facts: type === EventType.DocumentProcessed ? document.facts : null,
      extractedKey:
        type === EventType.DocumentProcessed
          ? extractedKey(document.organizationId, document.id)
          : null,
    },
  };
}

export const documentProcessing = (d: DocumentRecord) =>
  progressEvent(EventType.DocumentProcessing, d);
export const documentProcessed = (d: DocumentRecord) =>
  progressEvent(EventType.DocumentProcessed, d);
export const documentFailed = (d: DocumentRecord) => progressEvent(EventType.DocumentFailed, d);

/** `document.updated`: a person changed the document's title, tags or category. */
export interface DocumentUpdatedPayload extends DocumentFacetsPayload {
  documentId: string;
  changed: string[];
  updatedById: string;
}

export function documentUpdated(
  document: DocumentRecord,
  changed: string[],
  updatedBy: Principal,
): DomainEvent<DocumentUpdatedPayload> {
  return {
    type: EventType.DocumentUpdated,
    organizationId: document.organizationId,
    aggregateId: document.id,
    payload: {
      documentId: document.id,
      changed,
      updatedById: updatedBy.userId,
      ...facetsOf(document),
    },
  };
}
