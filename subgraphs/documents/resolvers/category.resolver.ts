import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { DocumentServices } from '../services';
import { CategoryInput } from './category.types';

@Resolver()
export class CategoryResolver {
  constructor(private readonly services: DocumentServices) {}

  @Query(() => [String], { description: "The organization's document categories, in its order" })
  async categories(@Ctx() ctx: SubgraphContext): Promise<string[]> {
    return this.services.listCategories.execute(requirePrincipal(ctx.principal));
  }

  @Mutation(() => [String], {
    description: "Replaces the organization's categories (1 to 50, unique names); ADMIN and above",
  })
  async setCategories(
    @Arg('categories', () => [CategoryInput]) categories: CategoryInput[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<string[]> {
    return this.services.setCategories.execute(requirePrincipal(ctx.principal), categories);
  }
}
