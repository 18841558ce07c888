import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError, NotFoundError } from '../../../core/errors';
import { appendToOutbox } from '../../../core/events/outbox';
import { parseId } from '../../../core/graphql/ids';
import { DocumentStatus } from '../entities/document-status';
import { DocumentRecord } from '../entities/document.entity';
import { PipelineStage } from '../entities/pipeline-stage';
import { documentFailed, documentUploaded, DOCUMENTS_OUTBOX } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import { detectContentType } from './detect-content-type';
import type { DocumentRepository } from './document.repository';
import type { Ingestion } from './ingestion';

/** Bytes file-type reads to recognise a format (its own default sample size). */
const SNIFF_BYTES = 4100;

const ACCEPTED = 'PDF, DOCX, plain text, Markdown or HTML';

/**
 * Step three of an upload: checks the stored bytes (size against the limit and the declaration,
 * magic bytes against the allow-list and the declared type), computes their SHA-256 by streaming
 * them, notes an earlier document of the organization with the same bytes (`duplicateOf`), and
 * queues the pipeline after the commit. A bad file is FAILED at stage VALIDATE with the reason,
 * committed, and then reported as BAD_USER_INPUT with the same words.
 */
export class CompleteUploadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentRepository,
    private readonly ingestion: Ingestion,
  ) {}

  async execute(principal: Principal, id: string): Promise<DocumentRecord> {
    const documentId = parseId(id);
    const record = await this.documents.findVisible(principal, documentId);
    if (!record) throw new NotFoundError('Document', documentId);
    authorize(principal, DocumentAction.Update, record);
    // Completing twice is harmless: the second call answers with the document as it is.
    if (record.status !== DocumentStatus.AWAITING_UPLOAD || !record.storageKey) return record;

    const { storage, maxUploadBytes } = this.ingestion;
    const info = await storage.head(record.storageKey);
    if (!info) {
      if (record.uploadExpiresAt && record.uploadExpiresAt.getTime() < Date.now())
        return this.fail(record, 'The upload URL expired before any bytes arrived; create a new upload');
      throw new BadUserInputError(
        'No bytes have been uploaded for this document yet: PUT them to the upload URL first',
        'documentId',
      );
    }
    if (info.byteSize === 0) return this.fail(record, 'The file is empty');
    if (info.byteSize > maxUploadBytes)
      return this.fail(record, `The file has ${info.byteSize} bytes; at most ${maxUploadBytes} are accepted`);
    if (info.byteSize !== record.byteSize)
      return this.fail(
        record,
        `The file has ${info.byteSize} bytes but ${record.byteSize} were declared`,
      );
    const detection = await detectContentType(
      await storage.readPrefix(record.storageKey, SNIFF_BYTES),
      record.contentType,
    );
    if (!detection.type)
      return this.fail(record, `The file is ${detection.description}; accepted are ${ACCEPTED}`);
    if (detection.type !== record.contentType)
      return this.fail(
        record,
        `The file is ${detection.description} but was declared as ${record.contentType}`,
      );
    const sha256 = await this.hash(record.storageKey);

    const runId = randomUUID();
    const queued = await this.dataSource.transaction(async (manager) => {
      const documents = manager.getRepository(DocumentRecord);
      const locked = await this.documents.findVisible(principal, documentId, { manager, lock: true });
      if (!locked || locked.status !== DocumentStatus.AWAITING_UPLOAD) return locked;
      const original = await this.documents
        .visible(principal, manager)
        .andWhere('d.sha256 = :sha256 AND d.id <> :id AND d.status <> :failed', {
          sha256,
          id: documentId,
          failed: DocumentStatus.FAILED,
        })
        .orderBy('d.created_at', 'ASC')
        .getOne();
      Object.assign(locked, {
        sha256,
        status: DocumentStatus.QUEUED,
        processingRunId: runId,
        processingStage: null,
        processingProgress: 0,
        processingAttempts: 0,
        processingError: null,
        duplicateOfId: original?.id ?? null,
        uploadExpiresAt: null,
      });
      await documents.save(locked);
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentUploaded(locked));
      return locked;
    });
    if (!queued) throw new NotFoundError('Document', documentId);
    // After the commit; if this add is lost, the pipeline's sweep re-adds QUEUED documents.
    if (queued.processingRunId === runId)
      await this.ingestion.pipeline.start({
        documentId,
        organizationId: queued.organizationId,
        runId,
      });
    return queued;
  }

  private async hash(key: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of await this.ingestion.storage.read(key)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /** Commits the document as FAILED with the reason, then reports the same reason to the caller. */
  private async fail(record: DocumentRecord, reason: string): Promise<never> {
    await this.dataSource.transaction(async (manager) => {
      const now = new Date();
      Object.assign(record, {
        status: DocumentStatus.FAILED,
        processingStage: PipelineStage.VALIDATE,
        processingError: reason,
        processingStartedAt: record.processingStartedAt ?? now,
        processingFinishedAt: now,
        uploadExpiresAt: null,
      });
      await manager.getRepository(DocumentRecord).save(record);
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentFailed(record));
    });
    throw new BadUserInputError(reason, 'documentId');
  }
}
