import type { Principal } from '../../../core/auth/principal';
import { keysetPage, type Page } from '../../../core/db/keyset-page';
import { BadUserInputError } from '../../../core/errors';
import type { OrderDirection } from '../../../core/graphql/order-direction';
import type { DocumentStatus } from '../entities/document-status';
import type { DocumentRecord } from '../entities/document.entity';
import { characterCount } from './character-count';
import { DocumentLimits } from './document-limits';
import { documentOrder, type DocumentOrderField } from './document-order';
import type { DocumentRepository } from './document.repository';
import { containsPattern } from './escape-like';

export interface DocumentListFilter {
  status?: DocumentStatus | null;
  category?: string | null;
  tag?: string | null;
  /** Case-insensitive "contains", in the title or the text. */
  text?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export interface ListDocumentsArgs {
  first?: number | null;
  after?: string | null;
  filter?: DocumentListFilter | null;
  orderBy?: { field?: DocumentOrderField | null; direction?: OrderDirection | null } | null;
}

/** The caller's visible documents, filtered and ordered, one keyset page at a time. */
export class ListDocumentsService {
  constructor(private readonly documents: DocumentRepository) {}

  async execute(principal: Principal, args: ListDocumentsArgs): Promise<Page<DocumentRecord>> {
    const qb = this.documents.visible(principal);
    const filter = args.filter ?? {};
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.category != null)
      qb.andWhere('d.category = :category', { category: filter.category.trim() });
    if (filter.tag != null)
      qb.andWhere('d.tags @> ARRAY[:tag]::text[]', { tag: filter.tag.trim() });
    if (filter.text != null && filter.text.trim() !== '') {
      const text = filter.text.trim();
      if (characterCount(text) > DocumentLimits.FILTER_TEXT_MAX) {
        throw new BadUserInputError(
          `the text filter must be at most ${DocumentLimits.FILTER_TEXT_MAX} characters`,
          'text',
        );
      }
      qb.andWhere('(d.title ILIKE :pattern OR d.text ILIKE :pattern)', {
        pattern: containsPattern(text),
      });
    }
    if (filter.createdAfter)
      qb.andWhere('d.created_at > :createdAfter', { createdAfter: filter.createdAfter });
    if (filter.createdBefore)
      qb.andWhere('d.created_at < :createdBefore', { createdBefore: filter.createdBefore });
    return keysetPage(qb, {
      alias: 'd',
      first: args.first,
      after: args.after,
      order: documentOrder(args.orderBy?.field ?? undefined, args.orderBy?.direction ?? undefined),
    });
  }
}
