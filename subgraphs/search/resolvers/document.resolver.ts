import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import { parseId } from '../../../core/graphql/ids';
import { requestLoader } from '../../../core/graphql/request-loader';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { SearchServices } from '../services';
import { Document } from './document.types';

@Resolver(() => Document)
export class DocumentResolver {
  constructor(private readonly services: SearchServices) {}

  @FieldResolver(() => Int, {
    description:
      'How many chunks of this document the search index holds, of those the caller may see (0 until it is indexed)',
  })
  async chunkCount(@Root() document: Document, @Ctx() ctx: SubgraphContext): Promise<number> {
    const principal = requirePrincipal(ctx.principal);
    // One query for every Document of the request's `_entities` call.
    const counts = requestLoader<string, number>(ctx, 'search.chunkCount', (ids) =>
      this.services.countDocumentChunks.execute(principal, ids),
    );
    return counts.load(parseId(document.id));
  }
}

/** Any document reference resolves: its fields apply the caller's scope themselves. */
export function resolveDocumentReference(reference: { id: string }): Document {
  return { id: reference.id };
}
