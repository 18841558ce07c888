import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { CategoryRecord } from '../entities/category.entity';
import { organizationCategories } from '../policies/document.policy';
import type { CategoryDefinition } from './normalize-categories';

/** What an organization files its documents under until it sets its own. */
export const DEFAULT_CATEGORIES: readonly string[] = [
  'contract',
  'invoice',
  'policy',
  'report',
  'correspondence',
  'other',
];

/** The caller's organization's categories, scoped by the policy. */
export class CategoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async names(
    principal: Principal,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows = await manager.getRepository(CategoryRecord).find({
      select: { name: true },
      where: organizationCategories(principal),
      order: { position: 'ASC' },
    });
    return rows.length > 0 ? rows.map((row) => row.name) : [...DEFAULT_CATEGORIES];
  }

  /** Replaces the whole list, in order. Runs inside the caller's transaction. */
  async replace(
    manager: EntityManager,
    principal: Principal,
    categories: readonly CategoryDefinition[],
  ): Promise<void> {
    const scope = organizationCategories(principal);
    // Two concurrent replacements of one organization's list queue up instead of colliding.
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtext('documents.categories'), hashtext($1))`,
      [principal.organizationId],
    );
    const repository = manager.getRepository(CategoryRecord);
    await repository.delete(scope);
    await repository.insert(
      categories.map((category, position) => ({
        organizationId: principal.organizationId,
        name: category.name,
        description: category.description,
        position,
      })),
    );
  }
}
