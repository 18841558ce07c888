import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../../core/graphql/relay';
import { DocumentStatus } from '../entities/document-status';
import { PipelineStage } from '../entities/pipeline-stage';
import { DocumentFacts } from './facts.types';

registerEnumType(DocumentStatus, {
  name: 'DocumentStatus',
  description: 'Where a document is in its life',
});
registerEnumType(PipelineStage, {
  name: 'PipelineStage',
  description: 'A stage of the processing pipeline',
});

/** A user, resolved by the accounts subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserReference {
  @Field(() => ID)
  id: string;
}

@ObjectType({
  description: 'Where the pipeline is with a document, and what went wrong if it failed',
})
export class Processing {
  @Field(() => PipelineStage, {
    nullable: true,
    description: 'The stage running, or the one that failed',
  })
  stage: PipelineStage | null;

  @Field(() => Float, { description: '0 to 1' })
  progress: number;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => Int, { nullable: true })
  durationMs: number | null;
}

@ObjectType()
export class Classification {
  @Field(() => String, { description: "One of the organization's categories" })
  label: string;

  @Field(() => Float, { description: '0 to 1; 1 when a person chose the category' })
  confidence: number;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Document {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  filename: string;

  @Field(() => String)
  contentType: string;

  @Field(() => Int, {
    description: 'Size of the original in bytes (UTF-8 for documents created from text)',
  })
  byteSize: number;

  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the original bytes' })
  sha256: string | null;

  @Field(() => DocumentStatus)
  status: DocumentStatus;

  @Field(() => Processing)
  processing: Processing;

  @Field(() => Classification, { nullable: true, description: 'null until classified' })
  classification: Classification | null;

  @Field(() => Int, { nullable: true, description: 'Pages of a PDF; null for formats without pages' })
  pageCount: number | null;

  @Field(() => String, { nullable: true, description: 'Extractive or generated summary; null until processed' })
  summary: string | null;

  @Field(() => DocumentFacts, { nullable: true, description: 'null until processed' })
  facts: DocumentFacts | null;

  @Field(() => Boolean, {
    description: 'A PDF whose pages have no text layer (scanned): processed without text, OCR comes later',
  })
  needsOcr: boolean;

  @Field(() => [String])
  tags: string[];

  @Field(() => UserReference)
  uploadedBy: UserReference;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  processedAt: Date | null;

  // Not in the schema: what field resolvers need.
  organizationId: string;
  storageKey: string | null;
  duplicateOfId: string | null;
}

@ObjectType()
export class DocumentEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Document)
  node: Document;
}

@ObjectType()
export class DocumentConnection {
  @Field(() => [DocumentEdge])
  edges: DocumentEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
