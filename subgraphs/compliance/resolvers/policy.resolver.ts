import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { ComplianceServices } from '../services';
import { PolicyInput } from './policy-input.types';
import { Policy } from './policy.types';

@Resolver(() => Policy)
export class PolicyResolver {
  constructor(private readonly services: ComplianceServices) {}

  @Query(() => [Policy], {
    description:
      "The organization's compliance policies; every member may read them. An organization starts with a default set.",
  })
  async policies(@Ctx() ctx: SubgraphContext): Promise<Policy[]> {
    return this.services.listPolicies.execute(requirePrincipal(ctx.principal));
  }

  @Mutation(() => Policy, { description: 'ADMIN and above' })
  async createPolicy(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => PolicyInput) input: PolicyInput,
  ): Promise<Policy> {
    return this.services.writePolicy.create(requirePrincipal(ctx.principal), input);
  }

  @Mutation(() => Policy, {
    description: 'ADMIN and above. Disabling a policy resolves its unresolved findings.',
  })
  async updatePolicy(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PolicyInput) input: PolicyInput,
  ): Promise<Policy> {
    return this.services.writePolicy.update(requirePrincipal(ctx.principal), id, input);
  }

  @Mutation(() => Boolean, { description: 'ADMIN and above; its findings are deleted with it' })
  async deletePolicy(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    return this.services.writePolicy.delete(requirePrincipal(ctx.principal), id);
  }
}

export async function resolvePolicyReference(
  services: ComplianceServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<Policy | null> {
  return services.findPolicy.execute(requirePrincipal(ctx.principal), reference.id);
}
