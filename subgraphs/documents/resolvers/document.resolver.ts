import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import { requestLoader } from '../../../core/graphql/request-loader';
import { NotFoundError } from '../../../core/errors';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { DocumentServices } from '../services';
import { DocumentLimits } from '../services/document-limits';
import { textWindow } from '../services/text-window';
import {
  CreateTextDocumentInput,
  DocumentFilter,
  DocumentOrder,
  UpdateDocumentInput,
} from './document-input.types';
import { toDocument } from './document.mapper';
import { Document, DocumentConnection } from './document.types';
import { CreateUploadInput, UploadTicket } from './ingestion.types';

@Resolver(() => Document)
export class DocumentResolver {
  constructor(private readonly services: DocumentServices) {}

  // The document policy's visibility is the organization, whatever the role.
  @SameForOrganization()
  @Query(() => Document, {
    nullable: true,
    description: 'A document the caller may see; null when there is none',
  })
  async document(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document | null> {
    const record = await this.services.getDocument.execute(requirePrincipal(ctx.principal), id);
    return record ? toDocument(record) : null;
  }

  @Query(() => DocumentConnection, {
    description: 'The documents the caller may see; newest first unless orderBy says otherwise',
  })
  async documents(
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most 100; 20 when omitted' })
    first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => DocumentFilter, { nullable: true }) filter?: DocumentFilter,
    @Arg('orderBy', () => DocumentOrder, { nullable: true }) orderBy?: DocumentOrder,
  ): Promise<DocumentConnection> {
    const page = await this.services.listDocuments.execute(requirePrincipal(ctx.principal), {
      first,
      after,
      filter,
      orderBy,
    });
    return {
      ...page,
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toDocument(edge.node) })),
    };
  }

  @Mutation(() => Document, { description: 'A document from text; QUEUED for processing' })
  async createTextDocument(
    @Arg('input', () => CreateTextDocumentInput) input: CreateTextDocumentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document> {
    return toDocument(
      await this.services.createTextDocument.execute(requirePrincipal(ctx.principal), input),
    );
  }

  @Mutation(() => UploadTicket, {
    description:
      'Step one of an upload: a document AWAITING_UPLOAD and a short-lived URL to PUT the bytes to; then completeUpload',
  })
  async createUpload(
    @Arg('input', () => CreateUploadInput) input: CreateUploadInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<UploadTicket> {
    const { document, upload } = await this.services.createUpload.execute(
      requirePrincipal(ctx.principal),
      input,
    );
    return {
      document: toDocument(document),
      uploadUrl: upload.url,
      uploadMethod: upload.method,
      uploadHeaders: upload.headers,
      expiresAt: upload.expiresAt,
    };
  }

  @Mutation(() => Document, {
    description:
      'Checks the uploaded bytes (size, type by magic bytes, SHA-256) and queues the pipeline; a bad file leaves the document FAILED and answers BAD_USER_INPUT',
  })
  async completeUpload(
    @Arg('documentId', () => ID) documentId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document> {
    return toDocument(
      await this.services.completeUpload.execute(requirePrincipal(ctx.principal), documentId),
    );
  }

  @Mutation(() => Document, { description: 'Runs the processing pipeline again, from extraction' })
  async reprocessDocument(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document> {
    return toDocument(
      await this.services.reprocessDocument.execute(requirePrincipal(ctx.principal), id),
    );
  }

  @Mutation(() => Document, { description: "Changes a document's title, tags or category" })
  async updateDocument(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateDocumentInput) input: UpdateDocumentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document> {
    return toDocument(
      await this.services.updateDocument.execute(requirePrincipal(ctx.principal), id, input),
    );
  }

  @Mutation(() => Boolean)
  async deleteDocument(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.deleteDocument.execute(requirePrincipal(ctx.principal), id);
  }

  @SameForOrganization()
  @FieldResolver(() => String, {
    description: 'A short-lived signed URL that downloads the original file',
  })
  async downloadUrl(@Root() document: Document, @Ctx() ctx: SubgraphContext): Promise<string> {
    const url = await this.services.signDownload.execute(requirePrincipal(ctx.principal), {
      ...document,
      uploadedById: document.uploadedBy.id,
    });
    if (!url) throw new NotFoundError('Document', document.id);
    return url;
  }

  @SameForOrganization()
  @FieldResolver(() => Document, {
    nullable: true,
    description:
      'An earlier document of the organization with exactly the same bytes (same SHA-256), when there is one',
  })
  async duplicateOf(
    @Root() document: Document,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Document | null> {
    if (!document.duplicateOfId) return null;
    const record = await this.services.getDocument.execute(
      requirePrincipal(ctx.principal),
      document.duplicateOfId,
    );
    return record ? toDocument(record) : null;
  }

  @SameForOrganization()
  @FieldResolver(() => String, {
    nullable: true,
    description: `The document's text, a window of it: limit characters (at most ${DocumentLimits.TEXT_WINDOW_MAX}) from offset; null until there is text`,
  })
  async text(
    @Root() document: Document,
    @Ctx() ctx: SubgraphContext,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) offset: number | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: DocumentLimits.TEXT_WINDOW_DEFAULT })
    limit: number | null,
  ): Promise<string | null> {
    const window = textWindow(offset, limit);
    const principal = requirePrincipal(ctx.principal);
    // One query per request and window, however many documents ask for their text.
    return requestLoader<string, string | null>(
      ctx,
      `document-text:${window.offset}:${window.limit}`,
      (ids) => this.services.readDocumentText.execute(principal, ids, window),
    ).load(document.id);
  }
}

/** `Document` entity references from other subgraphs: the document when the caller may see it, else null. */
export async function resolveDocumentReference(
  services: DocumentServices,
  reference: { id: string },
  ctx: SubgraphContext,
): Promise<Document | null> {
  const principal = requirePrincipal(ctx.principal);
  // Apollo resolves `_entities` one representation at a time: batch them into one query.
  return requestLoader<string, Document | null>(ctx, 'document-reference', async (ids) =>
    (await services.getDocument.executeMany(principal, ids)).map((record) =>
      record ? toDocument(record) : null,
    ),
  ).load(reference.id);
}
