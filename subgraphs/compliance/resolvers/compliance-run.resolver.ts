import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { ComplianceServices } from '../services';
import { ComplianceRun } from './compliance-run.types';
import { ComplianceSummary } from './finding.types';

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

  @Mutation(() => ComplianceRun, {
    description:
      'Evaluates every processed document against one policy (or all enabled ones) now, on the workers; ADMIN and above. The run is returned at once; finishedAt is set when its last batch is done.',
  })
  async runComplianceCheck(
    @Ctx() ctx: SubgraphContext,
    @Arg('policyId', () => ID, { nullable: true }) policyId?: string | null,
  ): Promise<ComplianceRun> {
    return this.services.runComplianceCheck.execute(requirePrincipal(ctx.principal), policyId);
  }

  @Query(() => ComplianceSummary, { description: "Where the organization's documents stand" })
  async complianceSummary(@Ctx() ctx: SubgraphContext): Promise<ComplianceSummary> {
    return this.services.findings.summary(requirePrincipal(ctx.principal));
  }
}
