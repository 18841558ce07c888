import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { ConflictError, NotFoundError } from '../../../core/errors';
import { appendToOutbox } from '../../../core/events/outbox';
import { parseId } from '../../../core/graphql/ids';
import { DocumentStatus } from '../entities/document-status';
import { DocumentRecord } from '../entities/document.entity';
import { documentUploaded, DOCUMENTS_OUTBOX } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { DocumentRepository } from './document.repository';
import type { Ingestion } from './ingestion';

/**
 * Runs the pipeline again from extraction under a new run id: jobs of the previous run see that
 * they are no longer the document's run and stop. A document still awaiting its upload, or one
 * that failed validation (its bytes are bad), cannot be reprocessed.
 */
export class ReprocessDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentRepository,
    private readonly ingestion: Ingestion,
  ) {}

  async execute(principal: Principal, id: string): Promise<DocumentRecord> {
    const documentId = parseId(id);
    const runId = randomUUID();
    const record = await this.dataSource.transaction(async (manager) => {
      const locked = await this.documents.findVisible(principal, documentId, { manager, lock: true });
      if (!locked) throw new NotFoundError('Document', documentId);
      authorize(principal, DocumentAction.Update, locked);
      if (locked.status === DocumentStatus.AWAITING_UPLOAD || !locked.sha256)
        throw new ConflictError('The document has no content yet: complete its upload first');
      if (locked.status === DocumentStatus.FAILED && locked.processingStage === 'VALIDATE')
        throw new ConflictError(
          `The uploaded file was refused (${locked.processingError ?? 'invalid'}); upload it again`,
        );
      Object.assign(locked, {
        status: DocumentStatus.QUEUED,
        processingRunId: runId,
        processingStage: null,
        processingProgress: 0,
        processingAttempts: 0,
        processingError: null,
        processingStartedAt: null,
        processingFinishedAt: null,
        processingTimings: {},
      });
      await manager.getRepository(DocumentRecord).save(locked);
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentUploaded(locked));
      return locked;
    });
    await this.ingestion.pipeline.start({
      documentId,
      organizationId: record.organizationId,
      runId,
    });
    return record;
  }
}
