import { Field, InputType } from 'type-graphql';
import { JSONScalar } from '../../../core/graphql/scalars';
import { Severity } from '../../../core/graphql/severity';
import { RuleKind } from '../entities/rule-kind.enum';

@InputType({ description: "A policy's definition; `params` is checked against the kind's schema" })
export class PolicyInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => Boolean, { nullable: true, description: 'true when omitted' })
  enabled?: boolean | null;

  @Field(() => RuleKind)
  kind: RuleKind;

  @Field(() => JSONScalar, {
    description: `REQUIRED_FACT { facts: [parties|effectiveDate|expiryDate|amounts|dates|emails] };
EXPIRES_WITHIN { days }; RETENTION { maxAgeDays, exemptTags? };
PII { types?: [EMAIL|PHONE|IBAN|CARD|SSN], phoneRegion? };
FORBIDDEN_TERM / REQUIRED_TERM { terms, caseSensitive?, match?: ALL|ANY (REQUIRED_TERM) };
CLASSIFICATION { categories, minConfidence? }`,
  })
  params: Record<string, unknown>;

  @Field(() => [String], {
    nullable: true,
    description: 'The document categories it applies to; empty or omitted: every document',
  })
  categories?: string[] | null;
}
