import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../../core/graphql/relay';
import { DocumentStatus } from '../entities/document-status';
import { PipelineStage } from '../entities/pipeline-stage';
import { DocumentFacts } from './facts.types';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

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
  @SameForOrganization()
  @Field(() => ID)
  id: string;
}

@ObjectType({
  description: 'Where the pipeline is with a document, and what went wrong if it failed',
})
export class Processing {
  @SameForOrganization()
  @Field(() => PipelineStage, {
    nullable: true,
    description: 'The stage running, or the one that failed',
  })
  stage: PipelineStage | null;

  @SameForOrganization()
  @Field(() => Float, { description: '0 to 1' })
  progress: number;

  @SameForOrganization()
  @Field(() => Int)
  attempts: number;

  @SameForOrganization()
  @Field(() => String, { nullable: true })
  error: string | null;

  @SameForOrganization()
  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @SameForOrganization()
  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @SameForOrganization()
  @Field(() => Int, { nullable: true })
  durationMs: number | null;
}

@ObjectType()
export class Classification {
  @SameForOrganization()
  @Field(() => String, { description: "One of the organization's categories" })
  label: string;

  @SameForOrganization()
  @Field(() => Float, { description: '0 to 1; 1 when a person chose the category' })
  confidence: number;
}

// Resolved by reference through the document policy's visibility: the caller's organization.
@SameForOrganization()
@Directive('@key(fields: "id")')
@ObjectType()
export class Document {
  @SameForOrganization()
  @Field(() => ID)
  id: string;

  @SameForOrganization()
  @Field(() => String)
  title: string;

  @SameForOrganization()
  @Field(() => String)
  filename: string;

  @SameForOrganization()
  @Field(() => String)
  contentType: string;

  @SameForOrganization()
  @Field(() => Int, {
    description: 'Size of the original in bytes (UTF-8 for documents created from text)',
  })
  byteSize: number;

  @SameForOrganization()
  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the original bytes' })
  sha256: string | null;

  @SameForOrganization()
  @Field(() => DocumentStatus)
  status: DocumentStatus;

  @SameForOrganization()
  @Field(() => Processing)
  processing: Processing;

  @SameForOrganization()
  @Field(() => Classification, { nullable: true, description: 'null until classified' })
  classification: Classification | null;

  @SameForOrganization()
  @Field(() => Int, {
    nullable: true,
    description: 'Pages of a PDF; null for formats without pages',
  })
  pageCount: number | null;

  @SameForOrganization()
  @Field(() => String, {
    nullable: true,
    description: 'Extractive or generated summary; null until processed',
  })
  summary: string | null;

  @SameForOrganization()
  @Field(() => DocumentFacts, { nullable: true, description: 'null until processed' })
  facts: DocumentFacts | null;

  @SameForOrganization()
  @Field(() => Boolean, {
    description:
      'A PDF whose pages have no text layer (scanned): processed without text, OCR comes later',
  })
  needsOcr: boolean;

  @SameForOrganization()
  @Field(() => [String])
  tags: string[];

  @SameForOrganization()
  @Field(() => UserReference)
  uploadedBy: UserReference;

  @SameForOrganization()
  @Field(() => Date)
  createdAt: Date;

  @SameForOrganization()
  @Field(() => Date)
  updatedAt: Date;

  @SameForOrganization()
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
