import { Field, Float, ObjectType } from 'type-graphql';
import { DateScalar, JSONScalar } from '../../../core/graphql/scalars';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

@ObjectType()
export class Money {
  @SameForOrganization()
  @Field(() => Float)
  amount: number;

  @SameForOrganization()
  @Field(() => String, { description: 'ISO 4217 code' })
  currency: string;

  @SameForOrganization()
  @Field(() => String, { description: 'The phrase it was read from' })
  text: string;
}

@ObjectType()
export class FactDate {
  @SameForOrganization()
  @Field(() => DateScalar)
  date: string;

  @SameForOrganization()
  @Field(() => String, { nullable: true })
  label: string | null;

  @SameForOrganization()
  @Field(() => String)
  text: string;
}

@ObjectType({ description: 'Key facts the pipeline found in the text' })
export class DocumentFacts {
  @SameForOrganization()
  @Field(() => [String])
  parties: string[];

  @SameForOrganization()
  @Field(() => DateScalar, { nullable: true })
  effectiveDate: string | null;

  @SameForOrganization()
  @Field(() => DateScalar, { nullable: true })
  expiryDate: string | null;

  @SameForOrganization()
  @Field(() => [Money])
  amounts: Money[];

  @SameForOrganization()
  @Field(() => [FactDate])
  dates: FactDate[];

  @SameForOrganization()
  @Field(() => [String])
  emails: string[];

  @SameForOrganization()
  @Field(() => JSONScalar, { nullable: true })
  other: Record<string, unknown> | null;
}
