import { BadUserInputError } from '../../../core/errors';
import { parseId } from '../../../core/graphql/ids';
import type { RetrievalFilter } from '../retrieval/retrieval';
import { SearchLimits } from './search-limits';

/** SearchFilter as the API takes it (resolvers/search.types.ts). */
export interface SearchFilterInput {
  documentIds?: readonly string[] | null;
  category?: string | null;
  tags?: readonly string[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

/** The API's filter, checked, as retrieval takes it; undefined when it narrows nothing. */
export function toRetrievalFilter(
  input: SearchFilterInput | null | undefined,
): RetrievalFilter | undefined {
  if (!input) return undefined;
  const filter: RetrievalFilter = {};
  if (input.documentIds) {
    if (input.documentIds.length > SearchLimits.FILTER_LIST_MAX)
      throw new BadUserInputError(
        `filter.documentIds takes at most ${SearchLimits.FILTER_LIST_MAX} ids`,
        'filter.documentIds',
      );
    filter.documentIds = [
      ...new Set(input.documentIds.map((id) => parseId(id, 'filter.documentIds'))),
    ];
  }
  if (input.category != null) filter.category = input.category;
  if (input.tags && input.tags.length > 0) {
    if (input.tags.length > SearchLimits.FILTER_LIST_MAX)
      throw new BadUserInputError(
        `filter.tags takes at most ${SearchLimits.FILTER_LIST_MAX} tags`,
        'filter.tags',
      );
    filter.tags = [...new Set(input.tags)];
  }
  if (input.createdAfter) filter.createdAfter = input.createdAfter;
  if (input.createdBefore) filter.createdBefore = input.createdBefore;
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter > filter.createdBefore)
    throw new BadUserInputError(
      'filter.createdAfter must not be later than filter.createdBefore',
      'filter.createdAfter',
    );
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** An optional count argument, defaulted and bounded: beyond the maximum is bad input. */
export function boundedCount(
  value: number | null | undefined,
  field: string,
  fallback: number,
  max: number,
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new BadUserInputError(`${field} must be between 1 and ${max}`, field);
  return n;
}
