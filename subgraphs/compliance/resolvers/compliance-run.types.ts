import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "One evaluation pass over the organization's documents" })
export class ComplianceRun {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  trigger: string;

  @Field(() => Date)
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => Int)
  documentsChecked: number;

  @Field(() => Int)
  findingsOpened: number;

  @Field(() => Int)
  findingsResolved: number;
}
