import type { RetrievalFilter } from './retrieval';

/** Positional parameters shared by the pieces of one statement. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The filter as SQL over a chunks alias: a join of `search.document_facets` when a facet is asked
 * for, and conditions. Used inside the ranking statements, before any top-k cut, so a narrow
 * filter still finds its hits.
 */
export function filterSql(
  filter: RetrievalFilter | undefined,
  chunk: string,
  parameters: SqlParameters,
): { join: string; where: string[] } {
  const where: string[] = [];
  if (!filter) return { join: '', where };
  if (filter.documentIds)
    where.push(`${chunk}.document_id = ANY(${parameters.add(filter.documentIds)}::uuid[])`);
  const facet = `${chunk}_facet`;
  if (filter.category !== undefined && filter.category !== null)
    where.push(`${facet}.category = ${parameters.add(filter.category)}`);
  if (filter.tags && filter.tags.length > 0)
    where.push(`${facet}.tags @> ${parameters.add(filter.tags)}::text[]`);
  if (filter.createdAfter)
    where.push(`${facet}.created_at >= ${parameters.add(filter.createdAfter)}`);
  if (filter.createdBefore)
    where.push(`${facet}.created_at < ${parameters.add(filter.createdBefore)}`);
  const needsFacets = where.some((condition) => condition.startsWith(`${facet}.`));
  return {
    join: needsFacets
      ? `JOIN search.document_facets ${facet} ON ${facet}.document_id = ${chunk}.document_id AND ${facet}.organization_id = ${chunk}.organization_id`
      : '',
    where,
  };
}
