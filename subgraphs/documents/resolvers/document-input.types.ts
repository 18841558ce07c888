import { ArrayMaxSize, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { OrderDirection } from '../../../core/graphql/order-direction';
import { DocumentStatus } from '../entities/document-status';
import { DocumentLimits, TEXT_CONTENT_TYPES } from '../services/document-limits';
import { DEFAULT_DOCUMENT_ORDER, DocumentOrderField } from '../services/document-order';

registerEnumType(DocumentOrderField, { name: 'DocumentOrderField' });

const TITLE = `title must be 1 to ${DocumentLimits.TITLE_MAX} characters`;
const TAGS = `a document may have at most ${DocumentLimits.TAGS_MAX} tags`;
const TAG = `each tag must be 1 to ${DocumentLimits.TAG_MAX} characters`;

@InputType()
export class CreateTextDocumentInput {
  @Field(() => String)
  @Length(1, DocumentLimits.TITLE_MAX, { message: TITLE })
  title: string;

  @Field(() => String, {
    description: `The content, at most ${DocumentLimits.TEXT_MAX.toLocaleString('en')} characters`,
  })
  @Length(1, DocumentLimits.TEXT_MAX, {
    message: `text must be 1 to ${DocumentLimits.TEXT_MAX.toLocaleString('en')} characters`,
  })
  text: string;

  @Field(() => String, {
    nullable: true,
    description: `${Object.keys(TEXT_CONTENT_TYPES).join(', ')}; text/plain when omitted`,
  })
  @IsOptional()
  @IsIn(Object.keys(TEXT_CONTENT_TYPES), {
    message: `contentType must be one of ${Object.keys(TEXT_CONTENT_TYPES).join(', ')}`,
  })
  contentType?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(DocumentLimits.TAGS_MAX, { message: TAGS })
  @Length(1, DocumentLimits.TAG_MAX, { each: true, message: TAG })
  tags?: string[] | null;
}

@InputType()
export class UpdateDocumentInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, DocumentLimits.TITLE_MAX, { message: TITLE })
  title?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the tags; [] removes them all' })
  @IsOptional()
  @ArrayMaxSize(DocumentLimits.TAGS_MAX, { message: TAGS })
  @Length(1, DocumentLimits.TAG_MAX, { each: true, message: TAG })
  tags?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "One of the organization's categories, chosen by a person (confidence 1); null removes the choice",
  })
  @IsOptional()
  @MaxLength(DocumentLimits.CATEGORY_NAME_MAX, {
    message: `category must be at most ${DocumentLimits.CATEGORY_NAME_MAX} characters`,
  })
  category?: string | null;
}

@InputType()
export class DocumentFilter {
  @Field(() => DocumentStatus, { nullable: true })
  status?: DocumentStatus | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(DocumentLimits.CATEGORY_NAME_MAX, {
    message: `category must be at most ${DocumentLimits.CATEGORY_NAME_MAX} characters`,
  })
  category?: string | null;

  @Field(() => String, { nullable: true, description: 'Documents with this tag' })
  @IsOptional()
  @MaxLength(DocumentLimits.TAG_MAX, {
    message: `tag must be at most ${DocumentLimits.TAG_MAX} characters`,
  })
  tag?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Title or text contains this, ignoring case',
  })
  @IsOptional()
  @MaxLength(DocumentLimits.FILTER_TEXT_MAX, {
    message: `the text filter must be at most ${DocumentLimits.FILTER_TEXT_MAX} characters`,
  })
  text?: string | null;

  @Field(() => Date, { nullable: true, description: 'Created strictly after this time' })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Created strictly before this time' })
  createdBefore?: Date | null;
}

@InputType()
export class DocumentOrder {
  @Field(() => DocumentOrderField, { defaultValue: DEFAULT_DOCUMENT_ORDER.field })
  field: DocumentOrderField;

  @Field(() => OrderDirection, { defaultValue: DEFAULT_DOCUMENT_ORDER.direction })
  direction: OrderDirection;
}
