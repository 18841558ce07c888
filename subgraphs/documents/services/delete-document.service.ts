import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { NotFoundError } from '../../../core/errors';
import { appendToOutbox } from '../../../core/events/outbox';
import { parseId } from '../../../core/graphql/ids';
import { DocumentRecord } from '../entities/document.entity';
import { documentDeleted, DOCUMENTS_OUTBOX } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { DocumentRepository } from './document.repository';
import type { Ingestion } from './ingestion';
import { extractedKey } from '../../../core/storage/storage-key';

/**
 * Deletes a document and announces `document.deleted` in the same transaction; consumers
 * (search's chunks, compliance's findings, the stored object) clean up from the event.
 */
export class DeleteDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentRepository,
    private readonly ingestion: Ingestion,
  ) {}

  async execute(principal: Principal, id: string): Promise<boolean> {
    const documentId = parseId(id);
    const deleted = await this.dataSource.transaction(async (manager) => {
      const record = await this.documents.findVisible(principal, documentId, {
        manager,
        lock: true,
      });
      if (!record) throw new NotFoundError('Document', documentId);
      authorize(principal, DocumentAction.Delete, record);
      await manager.getRepository(DocumentRecord).delete({ id: record.id });
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentDeleted(record, principal));
      return record;
    });
    // After the commit: pending jobs go (running ones find the row gone and stop), then the
    // stored objects. Search drops its chunks on document.deleted.
    if (deleted.processingRunId)
      await this.ingestion.pipeline.removeRun({
        documentId: deleted.id,
        organizationId: deleted.organizationId,
        runId: deleted.processingRunId,
      });
    if (deleted.storageKey) await this.ingestion.storage.delete(deleted.storageKey);
    await this.ingestion.storage.delete(extractedKey(deleted.organizationId, deleted.id));
    return true;
  }
}
