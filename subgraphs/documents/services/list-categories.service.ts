import type { Principal } from '../../../core/auth/principal';
import type { CategoryRepository } from './category.repository';

/** The caller's organization's categories, in its order (the defaults until it sets its own). */
export class ListCategoriesService {
  constructor(private readonly categories: CategoryRepository) {}

  async execute(principal: Principal): Promise<string[]> {
    return this.categories.names(principal);
  }
}
