import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../core/graphql/scalars';
import { PageInfo } from '../../../core/graphql/relay';
import { Severity } from '../../../core/graphql/severity';
import { FindingStatus } from '../entities/finding-status.enum';
import { Document } from './document.types';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

// Resolved by reference in the caller's organization (findingOrganization), whatever the role.
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType({
  description: "A policy's verdict on one document: what is wrong, and where it stands",
})
export class Finding {
  @SameForOrganization()
  @Field(() => ID)
  id: string;

  /** Resolved by Finding.policy from this id. */
  policyId: string;
  documentId: string;

  @SameForOrganization()
  @Field(() => Severity)
  severity: Severity;

  @SameForOrganization()
  @Field(() => FindingStatus)
  status: FindingStatus;

  @SameForOrganization()
  @Field(() => String)
  message: string;

  @SameForOrganization()
  @Field(() => String, {
    nullable: true,
    description: 'What was found; personal data is masked (e.g. "Visa ending 1111")',
  })
  evidence: string | null;

  @SameForOrganization()
  @Field(() => Date)
  detectedAt: Date;

  @SameForOrganization()
  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @SameForOrganization()
  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @SameForOrganization()
  @Field(() => String, {
    nullable: true,
    description: "Why it was resolved: a person's note, or that the condition no longer holds",
  })
  resolutionNote: string | null;
}

@ObjectType()
export class FindingEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Finding)
  node: Finding;
}

@ObjectType()
export class FindingConnection {
  @Field(() => [FindingEdge])
  edges: FindingEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

@InputType({ description: 'Every given condition must hold' })
export class FindingFilter {
  @Field(() => FindingStatus, { nullable: true })
  status?: FindingStatus | null;

  @Field(() => Severity, { nullable: true })
  severity?: Severity | null;

  @Field(() => ID, { nullable: true })
  policyId?: string | null;

  @Field(() => ID, { nullable: true })
  documentId?: string | null;
}

@ObjectType()
export class DocumentCompliance {
  @SameForOrganization()
  @Field(() => String, {
    description:
      'COMPLIANT (no unresolved finding), NON_COMPLIANT, or PENDING (not yet processed and evaluated)',
  })
  status: string;

  @SameForOrganization()
  @Field(() => [Finding], { description: "The document's unresolved findings, most severe first" })
  findings: Finding[];
}

@ObjectType()
export class ComplianceSummary {
  @Field(() => Int, { description: 'Findings OPEN or ACKNOWLEDGED' })
  openFindings: number;

  @Field(() => JSONScalar, { description: 'Unresolved findings per severity, e.g. { "HIGH": 2 }' })
  bySeverity: Record<string, number>;

  @Field(() => Int)
  compliantDocuments: number;

  @Field(() => Int)
  nonCompliantDocuments: number;
}

export { Document };
