import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import { can, DocumentAction } from '../policies/document.policy';
import { Document } from './document.types';

@ObjectType({ description: 'What the caller may do with a document (from the document policy)' })
export class DocumentPermissions {
  @Field(() => Boolean)
  update: boolean;

  @Field(() => Boolean)
  delete: boolean;
}

/** `Document.viewerCan`: the policy's answer for the caller, so clients show only what works. */
@Resolver(() => Document)
export class DocumentPermissionsResolver {
  @FieldResolver(() => DocumentPermissions)
  viewerCan(@Root() document: Document, @Ctx() ctx: SubgraphContext): DocumentPermissions {
    const principal = requirePrincipal(ctx.principal);
    // The document was resolved through the visibility policy: it is in the caller's organization.
    const guarded = {
      id: document.id,
      organizationId: principal.organizationId,
      uploadedById: document.uploadedBy.id,
    };
    return {
      update: can(principal, DocumentAction.Update, guarded),
      delete: can(principal, DocumentAction.Delete, guarded),
    };
  }
}
