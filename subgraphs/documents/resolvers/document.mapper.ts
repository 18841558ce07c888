import type { DocumentRecord } from '../entities/document.entity';
import type { Document } from './document.types';

/** A stored document as the API shows it (the text is read on demand by its own field). */
export function toDocument(record: DocumentRecord): Document {
  const { processingStartedAt: startedAt, processingFinishedAt: finishedAt } = record;
  return {
    id: record.id,
    title: record.title,
    filename: record.filename,
    contentType: record.contentType,
    byteSize: record.byteSize,
    sha256: record.sha256,
    status: record.status,
    processing: {
      stage: record.processingStage,
      progress: record.processingProgress,
      attempts: record.processingAttempts,
      error: record.processingError,
      startedAt,
      finishedAt,
      durationMs: startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null,
    },
    classification:
      record.category === null
        ? null
        : { label: record.category, confidence: record.categoryConfidence ?? 1 },
    tags: record.tags,
    uploadedBy: { id: record.uploadedById },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    processedAt: record.processedAt,
  };
}
