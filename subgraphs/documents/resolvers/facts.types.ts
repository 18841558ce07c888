import { Field, Float, ObjectType } from 'type-graphql';
import { DateScalar, JSONScalar } from '../../../core/graphql/scalars';

@ObjectType()
export class Money {
  @Field(() => Float)
  amount: number;

  @Field(() => String, { description: 'ISO 4217 code' })
  currency: string;

  @Field(() => String, { description: 'The phrase it was read from' })
  text: string;
}

@ObjectType()
export class FactDate {
  @Field(() => DateScalar)
  date: string;

  @Field(() => String, { nullable: true })
  label: string | null;

  @Field(() => String)
  text: string;
}

@ObjectType({ description: 'Key facts the pipeline found in the text' })
export class DocumentFacts {
  @Field(() => [String])
  parties: string[];

  @Field(() => DateScalar, { nullable: true })
  effectiveDate: string | null;

  @Field(() => DateScalar, { nullable: true })
  expiryDate: string | null;

  @Field(() => [Money])
  amounts: Money[];

  @Field(() => [FactDate])
  dates: FactDate[];

  @Field(() => [String])
  emails: string[];

  @Field(() => JSONScalar, { nullable: true })
  other: Record<string, unknown> | null;
}
