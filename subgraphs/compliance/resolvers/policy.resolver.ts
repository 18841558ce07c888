import { Ctx, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { ComplianceServices } from '../services';
import { Policy } from './policy.types';

@Resolver(() => Policy)
export class PolicyResolver {
  constructor(private readonly services: ComplianceServices) {}

  @Query(() => [Policy], {
    description: "The organization's compliance policies; every member may read them",
  })
  async policies(@Ctx() ctx: SubgraphContext): Promise<Policy[]> {
    return this.services.listPolicies.execute(requirePrincipal(ctx.principal));
  }
}

export async function resolvePolicyReference(
  services: ComplianceServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<Policy | null> {
  return services.findPolicy.execute(requirePrincipal(ctx.principal), reference.id);
}
