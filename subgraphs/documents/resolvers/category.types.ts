import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DocumentLimits } from '../services/document-limits';

@InputType()
export class CategoryInput {
  @Field(() => String)
  @Length(1, DocumentLimits.CATEGORY_NAME_MAX, {
    message: `category names must be 1 to ${DocumentLimits.CATEGORY_NAME_MAX} characters`,
  })
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(DocumentLimits.CATEGORY_DESCRIPTION_MAX, {
    message: `category descriptions must be at most ${DocumentLimits.CATEGORY_DESCRIPTION_MAX} characters`,
  })
  description?: string | null;
}
