import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError, NotFoundError } from '../../../core/errors';
import { parseId } from '../../../core/graphql/ids';
import { DocumentRecord } from '../entities/document.entity';
import { appendToOutbox } from '../../../core/events/outbox';
import { DOCUMENTS_OUTBOX, documentUpdated } from '../events/document-events';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { CategoryRepository } from './category.repository';
import type { DocumentRepository } from './document.repository';
import { normalizeTags, normalizeTitle } from './normalize-document-input';
import { matchCategory } from './normalize-categories';

export interface UpdateDocumentCommand {
  /** Omitted or null: unchanged. */
  title?: string | null;
  /** Omitted or null: unchanged; an empty list removes every tag. */
  tags?: string[] | null;
  /**
   * Omitted: unchanged. A name: the organization's category, chosen by a person (confidence 1,
   * kept over the classifier's). null: the override is removed.
   */
  category?: string | null;
}

/** Changes a document's title, tags or category, as the policy allows the caller. */
export class UpdateDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentRepository,
    private readonly categories: CategoryRepository,
  ) {}

  async execute(
    principal: Principal,
    id: string,
    input: UpdateDocumentCommand,
  ): Promise<DocumentRecord> {
    const documentId = parseId(id);
    return this.dataSource.transaction(async (manager) => {
      const record = await this.documents.findVisible(principal, documentId, {
        manager,
        lock: true,
      });
      if (!record) throw new NotFoundError('Document', documentId);
      authorize(principal, DocumentAction.Update, record);

      const changes: Partial<
        Pick<
          DocumentRecord,
          'title' | 'tags' | 'category' | 'categoryConfidence' | 'categoryOverridden'
        >
      > = {};
      if (input.title != null) changes.title = normalizeTitle(input.title);
      if (input.tags != null) changes.tags = normalizeTags(input.tags);
      if (input.category === null) {
        Object.assign(changes, {
          category: null,
          categoryConfidence: null,
          categoryOverridden: false,
        });
      } else if (input.category !== undefined) {
        const categories = await this.categories.names(principal, manager);
        const category = matchCategory(categories, input.category);
        if (!category) {
          throw new BadUserInputError(
            `category must be one of the organization's categories: ${categories.join(', ')}`,
            'category',
          );
        }
        Object.assign(changes, { category, categoryConfidence: 1, categoryOverridden: true });
      }
      if (Object.keys(changes).length === 0) return record;

      await manager.getRepository(DocumentRecord).update({ id: record.id }, changes);
      // The event carries the document as it now is (its facets feed compliance's and search's copies).
      Object.assign(record, changes);
      await appendToOutbox(
        manager,
        DOCUMENTS_OUTBOX,
        documentUpdated(record, Object.keys(changes), principal),
      );
      return (await this.documents.findVisible(principal, record.id, { manager }))!;
    });
  }
}
