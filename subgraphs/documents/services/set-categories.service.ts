import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { CategoryRepository } from './category.repository';
import { normalizeCategories } from './normalize-categories';

/**
 * Replaces the organization's categories (ADMIN and above). Documents already filed under a
 * category that leaves the list keep their label; the classifier only chooses from the list.
 */
export class SetCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly categories: CategoryRepository,
  ) {}

  async execute(
    principal: Principal,
    input: readonly { name: string; description?: string | null }[],
  ): Promise<string[]> {
    authorize(principal, DocumentAction.ManageCategories);
    const categories = normalizeCategories(input);
    await this.dataSource.transaction((manager) =>
      this.categories.replace(manager, principal, categories),
    );
    return categories.map((category) => category.name);
  }
}
