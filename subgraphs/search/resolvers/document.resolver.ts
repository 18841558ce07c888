import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import { parseId } from '../../../core/graphql/ids';
import { requestLoader } from '../../../core/graphql/request-loader';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { SearchServices } from '../services';
import { boundedCount } from '../services/search-filter';
import { SearchLimits } from '../services/search-limits';
import { Document } from './document.types';
import { toSearchHit } from './search.mapper';
import { SearchHit } from './search.types';
import { SameForOrganization } from '../../../core/graphql/same-for-organization';

@Resolver(() => Document)
export class DocumentResolver {
  constructor(private readonly services: SearchServices) {}

  // chunkScope is the caller's organization.
  @SameForOrganization()
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

  @FieldResolver(() => [SearchHit], {
    description:
      "The passages of the organization's other documents nearest in meaning to this one, best first",
  })
  async similar(
    @Root() document: Document,
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: SearchLimits.SIMILAR_DEFAULT,
      description: `At most ${SearchLimits.SIMILAR_MAX}`,
    })
    first?: number | null,
  ): Promise<SearchHit[]> {
    const principal = requirePrincipal(ctx.principal);
    const count = boundedCount(
      first,
      'first',
      SearchLimits.SIMILAR_DEFAULT,
      SearchLimits.SIMILAR_MAX,
    );
    const hits = await this.services.similar.execute(principal, parseId(document.id), count);
    return hits.map(toSearchHit);
  }
}

/** Any document reference resolves: its fields apply the caller's scope themselves. */
export function resolveDocumentReference(reference: { id: string }): Document {
  return { id: reference.id };
}
