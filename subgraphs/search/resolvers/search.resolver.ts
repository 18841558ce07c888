import { Arg, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { requirePrincipal } from '../../../core/auth/authorize';
import type { SubgraphContext } from '../../../core/graphql/subgraph';
import type { SearchServices } from '../services';
import { SearchLimits } from '../services/search-limits';
import { toAnswer, toSearchHit } from './search.mapper';
import { Answer, AnswerDelta, SearchFilter, SearchMode, SearchResults } from './search.types';

@Resolver()
export class SearchResolver {
  constructor(private readonly services: SearchServices) {}

  @Query(() => SearchResults, {
    description:
      'The chunks of the caller\'s documents that best match the query, best first. Words rank (any of them may match); "quoted phrases" must appear and -word / -"a phrase" must not',
  })
  async search(
    @Arg('query', () => String) query: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: SearchLimits.FIRST_DEFAULT,
      description: `At most ${SearchLimits.FIRST_MAX}`,
    })
    first?: number | null,
    @Arg('mode', () => SearchMode, { nullable: true, defaultValue: SearchMode.HYBRID })
    mode?: SearchMode | null,
    @Arg('filter', () => SearchFilter, { nullable: true }) filter?: SearchFilter,
  ): Promise<SearchResults> {
    const result = await this.services.search.execute(requirePrincipal(ctx.principal), {
      query,
      first,
      mode,
      filter,
    });
    return { hits: result.hits.map(toSearchHit), tookMs: result.tookMs };
  }

  @Query(() => Answer, {
    description:
      "An answer to the question from the caller's documents, citing the retrieved passages it rests on",
  })
  async ask(
    @Arg('question', () => String) question: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => SearchFilter, { nullable: true }) filter?: SearchFilter,
    @Arg('topK', () => Int, {
      nullable: true,
      defaultValue: SearchLimits.TOP_K_DEFAULT,
      description: `Passages retrieved to answer from, at most ${SearchLimits.TOP_K_MAX}`,
    })
    topK?: number | null,
  ): Promise<Answer> {
    const principal = requirePrincipal(ctx.principal);
    // askStream's final answer, resolved through the gateway's executor: not answered again.
    const streamed = await this.services.askReplays.forRequest(ctx.requestId, principal, question);
    if (streamed) return toAnswer(streamed);
    return toAnswer(await this.services.ask.execute(principal, { question, filter, topK }));
  }

  @Subscription(() => AnswerDelta, {
    description:
      'ask, streamed: the answer in pieces as it is produced; the last piece has done = true and the whole Answer',
    subscribe: () => {
      throw new Error('askStream is served by the gateway');
    },
  })
  askStream(
    @Root() delta: AnswerDelta,
    @Arg('question', () => String) _question: string,
    @Arg('filter', () => SearchFilter, { nullable: true }) _filter?: SearchFilter,
  ): AnswerDelta {
    return delta;
  }
}
