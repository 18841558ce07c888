import { createHash, randomUUID } from 'node:crypto';
import { originalKey } from '../../../core/storage/storage-key';
import type { Ingestion } from './ingestion';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { appendToOutbox } from '../../../core/events/outbox';
import { DocumentOrigin } from '../entities/document-origin';
import { DocumentStatus } from '../entities/document-status';
import { DocumentRecord } from '../entities/document.entity';
import { documentUploaded, DOCUMENTS_OUTBOX } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import { deriveFilename } from './derive-filename';
import {
  checkText,
  normalizeContentType,
  normalizeTags,
  normalizeTitle,
} from './normalize-document-input';

export interface CreateTextDocumentCommand {
  title: string;
  text: string;
  contentType?: string | null;
  tags?: string[] | null;
}

/**
 * A document from text the caller sends: stored with its size and SHA-256 (of the UTF-8
 * bytes), QUEUED for the pipeline, and announced by `document.uploaded` in the same transaction.
 */
export class CreateTextDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestion: Ingestion,
  ) {}

  async execute(principal: Principal, input: CreateTextDocumentCommand): Promise<DocumentRecord> {
    authorize(principal, DocumentAction.Create);
    const title = normalizeTitle(input.title);
    const text = checkText(input.text);
    const contentType = normalizeContentType(input.contentType);
    const tags = normalizeTags(input.tags ?? []);
    const bytes = Buffer.from(text, 'utf8');

    // The text is the document's stored object, like an upload's bytes: the pipeline reads it there.
    const id = randomUUID();
    const runId = randomUUID();
    const storageKey = originalKey(principal.organizationId, id);
    await this.ingestion.storage.write(storageKey, bytes, contentType);
    const created = await this.dataSource.transaction(async (manager) => {
      const documents = manager.getRepository(DocumentRecord);
      const record = await documents.save(
        documents.create({
          id,
          processingRunId: runId,
          organizationId: principal.organizationId,
          uploadedById: principal.userId,
          origin: DocumentOrigin.TEXT,
          title,
          filename: deriveFilename(title, contentType),
          contentType,
          byteSize: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey,
          text,
          status: DocumentStatus.QUEUED,
          processingStage: null,
          processingProgress: 0,
          processingAttempts: 0,
          processingError: null,
          category: null,
          categoryConfidence: null,
          categoryOverridden: false,
          tags,
        }),
      );
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentUploaded(record));
      return record;
    });
    await this.ingestion.pipeline.start({ documentId: id, organizationId: created.organizationId, runId });
    return created;
  }
}
