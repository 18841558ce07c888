import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../core/graphql/scalars';
import { Severity } from '../../../core/graphql/severity';
import { RuleKind } from '../entities/rule-kind.enum';

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A compliance rule of the organization: what documents are checked for, and how much a breach matters',
})
export class Policy {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => RuleKind)
  kind: RuleKind;

  @Field(() => JSONScalar, { description: "The rule kind's settings" })
  params: Record<string, unknown>;

  @Field(() => [String], {
    description: 'The document categories it applies to; empty means every document',
  })
  categories: string[];

  @Field(() => Date)
  createdAt: Date;
}
