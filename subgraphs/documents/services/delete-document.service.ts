import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { NotFoundError } from '../../../core/errors';
import { appendToOutbox } from '../../../core/events/outbox';
import { parseId } from '../../../core/graphql/ids';
import { DocumentRecord } from '../entities/document.entity';
import { documentDeleted, DOCUMENTS_OUTBOX } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { DocumentRepository } from './document.repository';

/**
 * Deletes a document and announces `document.deleted` in the same transaction; consumers
 * (search's chunks, compliance's findings, the stored object) clean up from the event.
 */
export class DeleteDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentRepository,
  ) {}

  async execute(principal: Principal, id: string): Promise<boolean> {
    const documentId = parseId(id);
    return this.dataSource.transaction(async (manager) => {
      const record = await this.documents.findVisible(principal, documentId, {
        manager,
        lock: true,
      });
      if (!record) throw new NotFoundError('Document', documentId);
      authorize(principal, DocumentAction.Delete, record);
      await manager.getRepository(DocumentRecord).delete({ id: record.id });
      await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentDeleted(record, principal));
      return true;
    });
  }
}
