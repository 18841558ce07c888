import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import { authorizeAddMember, authorizeListMembers } from '../policies/membership.policy';
import type { AccountsServices } from '../services';
import { AddMemberInput, Membership, toMembership } from './membership.types';

@Resolver(() => Membership)
export class MembershipResolver {
  constructor(private readonly services: AccountsServices) {}

  @Query(() => [Membership], { description: "The members of the caller's organization" })
  async members(@Ctx() ctx: SubgraphContext): Promise<Membership[]> {
    const memberships = await this.services.listMembers.execute(
      authorizeListMembers(ctx.principal),
    );
    return memberships.map(toMembership);
  }

  @Mutation(() => Membership, {
    description: 'Adds a new user to the organization (OWNER or ADMIN)',
  })
  async addMember(
    @Arg('input', () => AddMemberInput) input: AddMemberInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Membership> {
    const caller = authorizeAddMember(ctx.principal, input.role);
    return toMembership(await this.services.addMember.execute(caller, input));
  }
}
