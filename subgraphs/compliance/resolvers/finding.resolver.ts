import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import { requestLoader } from '../../../core/graphql/request-loader';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { FindingRecord } from '../entities/finding.entity';
import type { ComplianceServices } from '../services';
import { Document, Finding, FindingConnection, FindingFilter } from './finding.types';
import { Policy } from './policy.types';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

@Resolver(() => Finding)
export class FindingResolver {
  constructor(private readonly services: ComplianceServices) {}

  // findingOrganization: the caller's organization, whatever the role.
  @SameForOrganization()
  @Query(() => Finding, { nullable: true, description: 'A finding of the organization, or null' })
  async finding(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<FindingRecord | null> {
    return this.services.findings.find(requirePrincipal(ctx.principal), id);
  }

  @Query(() => FindingConnection, { description: 'Findings, newest first' })
  async findings(
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('filter', () => FindingFilter, { nullable: true }) filter?: FindingFilter | null,
  ): Promise<FindingConnection> {
    return this.services.findings.list(requirePrincipal(ctx.principal), first, after, filter);
  }

  @Mutation(() => Finding, {
    description: 'Someone is on it (OPEN → ACKNOWLEDGED); MEMBER and above',
  })
  async acknowledgeFinding(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<FindingRecord> {
    return this.services.findings.acknowledge(requirePrincipal(ctx.principal), id);
  }

  @Mutation(() => Finding, {
    description:
      'Resolved by hand, with a note; ADMIN and above. If the condition still holds, the next evaluation opens a new finding.',
  })
  async resolveFinding(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<FindingRecord> {
    return this.services.findings.resolve(requirePrincipal(ctx.principal), id, note ?? null);
  }

  @SameForOrganization()
  @FieldResolver(() => Policy)
  async policy(@Root() finding: FindingRecord, @Ctx() ctx: SubgraphContext): Promise<Policy> {
    const principal = requirePrincipal(ctx.principal);
    const policies = requestLoader<string, Policy | null>(ctx, 'compliance.policy', (ids) =>
      Promise.all(ids.map((id) => this.services.findPolicy.execute(principal, id))),
    );
    // A finding's policy is in its organization (foreign key); deleting a policy deletes its findings.
    return (await policies.load(finding.policyId))!;
  }

  @SameForOrganization()
  @FieldResolver(() => Document)
  document(@Root() finding: FindingRecord): Document {
    return { id: finding.documentId };
  }
}

export async function resolveFindingReference(
  services: ComplianceServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<FindingRecord | null> {
  return services.findings.find(requirePrincipal(ctx.principal), reference.id);
}
