import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { ComplianceServices } from '../services';
import { ComplianceRun } from './compliance-run.types';

@Resolver(() => ComplianceRun)
export class ComplianceRunResolver {
  constructor(private readonly services: ComplianceServices) {}

  @Query(() => [ComplianceRun], {
    description:
      "The organization's most recent compliance runs, newest first (default 20, at most 100)",
  })
  async complianceRuns(
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
  ): Promise<ComplianceRun[]> {
    return this.services.listComplianceRuns.execute(requirePrincipal(ctx.principal), first);
  }
}
