import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { chunkScope } from '../policies/chunk.policy';

export interface LoadedChunk {
  id: string;
  documentId: string;
  index: number;
  page: number | null;
  text: string;
  tokenCount: number;
  /** Set when a query to highlight was given: ts_headline's passages, markers \u0001…\u0002. */
  headline: string | null;
}

export const HIGHLIGHT_START = '\u0001';
export const HIGHLIGHT_STOP = '\u0002';

/**
 * The given chunks as the caller may see them (policies/chunk.policy.ts: whatever retrieval
 * returned, a chunk outside the caller's scope is never loaded), keyed by id.
 *
 * The highlight query is the ranking words OR-ed, analysed with each chunk's own text-search
 * configuration, so the words BM25 matched are the ones marked.
 */
export async function loadChunks(
  dataSource: DataSource,
  principal: Principal,
  ids: readonly string[],
  highlightText: string | null = null,
): Promise<Map<string, LoadedChunk>> {
  if (ids.length === 0) return new Map();
  const scope = chunkScope(principal, 'c');
  const headline =
    highlightText === null
      ? 'NULL'
      : `ts_headline(c.text_search_config::regconfig, c.text,
           replace(plainto_tsquery(c.text_search_config::regconfig, :highlightText)::text, '&', '|')::tsquery,
           'MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … ", StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}')`;
  const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
    `SELECT c.id, c.document_id, c.index, c.page, c.text, c.token_count, ${headline} AS headline
       FROM search.chunks c
      WHERE ${scope.condition} AND c.id = ANY(CAST(:ids AS uuid[]))`,
    { ...scope.parameters, ids: [...ids], highlightText },
    {},
  );
  const rows = await dataSource.query<
    Array<{
      id: string;
      document_id: string;
      index: number;
      page: number | null;
      text: string;
      token_count: number;
      headline: string | null;
    }>
  >(sql, parameters);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        documentId: row.document_id,
        index: row.index,
        page: row.page,
        text: row.text,
        tokenCount: row.token_count,
        headline: row.headline,
      },
    ]),
  );
}
