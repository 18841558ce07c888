import type { Principal } from '../../../core/auth/principal';
import { isId, parseId } from '../../../core/graphql/ids';
import type { DocumentRecord } from '../entities/document.entity';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { DocumentRepository } from './document.repository';

/** Documents the caller may see, by id; one of another organization is simply not there (null). */
export class GetDocumentService {
  constructor(private readonly documents: DocumentRepository) {}

  /** A malformed id is BAD_USER_INPUT. */
  async execute(principal: Principal, id: string): Promise<DocumentRecord | null> {
    const [record] = await this.executeMany(principal, [parseId(id)]);
    return record;
  }

  /** Many at once (federation references), in the order asked; malformed ids find nothing. */
  async executeMany(
    principal: Principal,
    ids: readonly string[],
  ): Promise<(DocumentRecord | null)[]> {
    const wanted = [...new Set(ids.filter(isId).map((id) => id.toLowerCase()))];
    const records =
      wanted.length === 0
        ? []
        : await this.documents
            .visible(principal)
            .andWhere('d.id IN (:...ids)', { ids: wanted })
            .getMany();
    const byId = new Map(records.map((record) => [record.id, record]));
    return ids.map((id) => {
      const record = isId(id) ? byId.get(id.toLowerCase()) : undefined;
      if (!record) return null;
      authorize(principal, DocumentAction.Read, record);
      return record;
    });
  }
}
