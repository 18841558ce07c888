/**
 * The text-search configurations a query is analysed with, as SQL over a `search.corpus_stats`
 * alias: those that analysed at least a tenth of the organization's chunks (always the largest),
 * `simple` for an empty organization. A few documents misread as another language (tinyld on
 * short technical text) must not make every English stop word of a query a rare, high-idf term
 * of theirs; a truly bilingual organization still gets both.
 */
export const QUERY_CONFIG_SHARE = 0.1;

export const queryConfigsSql = (stats: string): string => `(
  SELECT e.key AS name FROM jsonb_each_text(${stats}.text_search_configs) AS e
   WHERE e.value::int >= ${QUERY_CONFIG_SHARE} * ${stats}.chunk_count
      OR e.value::int = (SELECT max(x.value::int) FROM jsonb_each_text(${stats}.text_search_configs) AS x)
  UNION SELECT 'simple' WHERE ${stats}.text_search_configs = '{}'::jsonb)`;
