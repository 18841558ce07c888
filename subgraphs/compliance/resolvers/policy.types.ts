import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../core/graphql/scalars';
import { Severity } from '../../../core/graphql/severity';
import { RuleKind } from '../entities/rule-kind.enum';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

// Resolved by reference in the caller's organization (policyScope), whatever the role.
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A compliance rule of the organization: what documents are checked for, and how much a breach matters',
})
export class Policy {
  @SameForOrganization()
  @Field(() => ID)
  id: string;

  @SameForOrganization()
  @Field(() => String)
  name: string;

  @SameForOrganization()
  @Field(() => String, { nullable: true })
  description: string | null;

  @SameForOrganization()
  @Field(() => Severity)
  severity: Severity;

  @SameForOrganization()
  @Field(() => Boolean)
  enabled: boolean;

  @SameForOrganization()
  @Field(() => RuleKind)
  kind: RuleKind;

  @SameForOrganization()
  @Field(() => JSONScalar, { description: "The rule kind's settings" })
  params: Record<string, unknown>;

  @SameForOrganization()
  @Field(() => [String], {
    description: 'The document categories it applies to; empty means every document',
  })
  categories: string[];

  @SameForOrganization()
  @Field(() => Date)
  createdAt: Date;
}
