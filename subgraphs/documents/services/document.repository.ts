import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { DocumentRecord } from '../entities/document.entity';
import { visibleDocuments } from '../policies/document.policy';

/**
 * Reads of documents, always through the policy's visibility scope: no query here can reach
 * a document the caller may not see. Pass the transaction's manager when inside one.
 */
export class DocumentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The documents the caller may see, aliased `d`. */
  visible(
    principal: Principal,
    manager: EntityManager = this.dataSource.manager,
  ): SelectQueryBuilder<DocumentRecord> {
    return manager
      .getRepository(DocumentRecord)
      .createQueryBuilder('d')
      .where(visibleDocuments(principal, 'd'));
  }

  /** One visible document; `lock` takes a row lock for the rest of the transaction. */
  async findVisible(
    principal: Principal,
    id: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<DocumentRecord | null> {
    const qb = this.visible(principal, options.manager).andWhere('d.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }
}
