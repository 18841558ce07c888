import { ArrayMaxSize, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../core/graphql/scalars';
import { DocumentLimits } from '../services/document-limits';
import { UPLOAD_CONTENT_TYPES, UPLOAD_FILENAME_MAX } from '../services/upload-limits';
import { Document } from './document.types';

@InputType()
export class CreateUploadInput {
  @Field(() => String, { description: 'The original file name (kept for downloads)' })
  @Length(1, UPLOAD_FILENAME_MAX, { message: `filename must be 1 to ${UPLOAD_FILENAME_MAX} characters` })
  filename: string;

  @Field(() => String, { description: `One of ${Object.keys(UPLOAD_CONTENT_TYPES).join(', ')}` })
  contentType: string;

  @Field(() => Int, { description: 'Exact size of the file in bytes; the upload URL accepts no more' })
  @Min(1, { message: 'byteSize must be at least 1' })
  @Max(2_147_483_647, { message: 'byteSize is too large' })
  byteSize: number;

  @Field(() => String, { nullable: true, description: 'The file name without its extension when omitted' })
  @IsOptional()
  @Length(1, DocumentLimits.TITLE_MAX, { message: `title must be 1 to ${DocumentLimits.TITLE_MAX} characters` })
  title?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(DocumentLimits.TAGS_MAX, { message: `a document may have at most ${DocumentLimits.TAGS_MAX} tags` })
  @Length(1, DocumentLimits.TAG_MAX, { each: true, message: `each tag must be 1 to ${DocumentLimits.TAG_MAX} characters` })
  tags?: string[] | null;
}

@ObjectType({ description: 'Where and how to send the bytes of a new upload, then call completeUpload' })
export class UploadTicket {
  @Field(() => Document, { description: 'The document, AWAITING_UPLOAD' })
  document: Document;

  @Field(() => String)
  uploadUrl: string;

  @Field(() => String, { description: 'PUT' })
  uploadMethod: string;

  @Field(() => JSONScalar, { description: 'Headers the request must carry (content-type)' })
  uploadHeaders: Record<string, string>;

  @Field(() => Date)
  expiresAt: Date;
}
