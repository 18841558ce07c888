import { queryConfigsSql } from '../query-configs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../../core/auth/principal';
import { chunkScope } from '../../policies/chunk.policy';
import type { RankedChunk, RetrievalFilter } from '../retrieval';
import { filterSql, SqlParameters } from '../retrieval-filter-sql';
import { parseSearchText } from '../search-text';
import { bm25IdfSql } from './bm25';
import {
  feedbackWords,
  relevanceModel,
  type FeedbackChunk,
  type RelevanceModelOptions,
} from './relevance-model';

export interface KeywordRetrievalOptions {
  /**
   * Postings read per query term, best impact first (STACK.md: about 25 ms at 300 and 12–90 ms at
   * 1,000 per query over 6.3 M postings). bench/retrieval measures what the cap costs in nDCG.
   * Infinity reads every posting (exact BM25).
   */
  postingsPerTerm: number;
  /** Query terms kept, rarest first: a pasted page does not read thousands of posting lists. */
  maxTerms: number;
  /**
   * Postings read per RM3 expansion word. Its weight is a share of (1 − λ), so only its best
   * postings can lift a chunk into the top; and ten expansion words reading 1,000 postings each
   * made the second pass seven times the first at 100,000 chunks (bench:search).
   */
  expansionPostingsPerTerm: number;
}

export const DEFAULT_KEYWORD_OPTIONS: KeywordRetrievalOptions = {
  postingsPerTerm: 1_000,
  maxTerms: 48,
  expansionPostingsPerTerm: 300,
};

/** The query's distinct lexemes under the organization's main configurations (query-configs.ts). */
export async function queryLexemes(
  manager: EntityManager | DataSource,
  organizationId: string,
  text: string,
): Promise<string[]> {
  if (!text.trim()) return [];
  const rows = await manager.query<Array<{ lexeme: string }>>(
    `SELECT DISTINCT t.lexeme
       FROM search.corpus_stats s
            CROSS JOIN LATERAL ${queryConfigsSql('s')} AS cfg
            CROSS JOIN LATERAL unnest(to_tsvector(cfg.name::regconfig, $2)) AS t
      WHERE s.organization_id = $1`,
    [organizationId, text],
  );
  return rows.map((r) => r.lexeme);
}

/**
 * KEYWORD: BM25 over the organization's postings, the query's words OR-ed (the reference
 * measurements: AND-ing them matched nothing for 201 of 225 Cranfield queries). Each term's top
 * postings by stored impact are read through the (organization_id, lexeme, impact DESC) index
 * and multiplied by the term's idf; quoted phrases and `-exclusions` and the filter are applied
 * inside each term's scan, before its cap.
 */
export class KeywordRetrieval {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: KeywordRetrievalOptions = DEFAULT_KEYWORD_OPTIONS,
  ) {}

  /**
   * With `feedback`, the query is expanded by RM3 from the first pass's top chunks
   * (relevance-model.ts); phrases, exclusions and the filter hold in both passes.
   */
  async retrieve(
    organizationId: string,
    query: string,
    limit: number,
    filter?: RetrievalFilter,
    feedback?: RelevanceModelOptions,
  ): Promise<RankedChunk[]> {
    const search = parseSearchText(query);
    const lexemes = await queryLexemes(this.dataSource, organizationId, search.rankingText);
    if (lexemes.length === 0 || limit <= 0) return [];
    const plain = new Map(lexemes.map((lexeme) => [lexeme, 1]));
    const first = await this.rank(
      organizationId,
      plain,
      search.conditions,
      Math.max(limit, feedback?.chunks ?? 0),
      filter,
      this.options.postingsPerTerm,
    );
    if (!feedback || first.length === 0) return first.slice(0, limit);
    const chunks = await feedbackChunks(
      this.dataSource,
      organizationId,
      first.slice(0, feedback.chunks),
    );
    const model = await this.rareWordsModel(
      organizationId,
      feedbackWords(chunks, feedback),
      feedback,
    );
    if (model.size === 0) return first.slice(0, limit);
    // BM25 is linear in the query's weights: the expanded query's score is λ/|q| times the
    // first pass's plus (1 − λ) times the relevance model's own pass, which reads only the
    // model's words. A chunk below the first pass's top `limit` loses its query-word share, a
    // cut like the per-term posting cap (on Cranfield the same nDCG@10 as ranking it all again).
    const expansion = await this.rank(
      organizationId,
      model,
      search.conditions,
      limit,
      filter,
      this.options.expansionPostingsPerTerm,
    );
    const fused = new Map<string, RankedChunk>();
    const add = (hit: RankedChunk, weight: number) => {
      const seen = fused.get(hit.chunkId);
      if (seen) seen.score += weight * hit.score;
      else fused.set(hit.chunkId, { ...hit, score: weight * hit.score });
    };
    for (const hit of first) add(hit, feedback.originalWeight / lexemes.length);
    for (const hit of expansion) add(hit, 1 - feedback.originalWeight);
    return [...fused.values()]
      .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : 1))
      .slice(0, limit);
  }

  /**
   * The relevance model over words that are not common in the organization: document
   * frequencies are read only for the best candidates, a batch at a time until `terms` are kept.
   */
  private async rareWordsModel(
    organizationId: string,
    words: ReadonlyArray<[string, number]>,
    options: RelevanceModelOptions,
  ): Promise<Map<string, number>> {
    const batch = COMMON_WORD_BATCH * options.terms;
    const common = new Set<string>();
    let checked = 0;
    while (checked < words.length && checked - common.size < options.terms) {
      const lexemes = words.slice(checked, checked + batch).map(([lexeme]) => lexeme);
      for (const lexeme of await commonWords(this.dataSource, organizationId, lexemes, options))
        common.add(lexeme);
      checked += lexemes.length;
    }
    return relevanceModel(words.slice(0, checked), (lexeme) => common.has(lexeme), options);
  }

  /** BM25 of the weighted lexemes: Σ weight · idf · impact over each term's top postings. */
  private async rank(
    organizationId: string,
    weights: ReadonlyMap<string, number>,
    conditions: string | null,
    limit: number,
    filter: RetrievalFilter | undefined,
    postingsPerTerm: number,
  ): Promise<RankedChunk[]> {
    const parameters = new SqlParameters();
    const organization = parameters.add(organizationId);
    // The key lookup by lexeme keeps term_stats on its index; the join only brings the weights.
    const lexemes = parameters.add([...weights.keys()]);
    const scope = chunkScope({ organizationId } as Principal, 'c');
    const filters = filterSql(filter, 'fc', parameters);
    const inner: string[] = [...filters.where];
    if (conditions)
      inner.push(
        `fc.tsv @@ websearch_to_tsquery(fc.text_search_config::regconfig, ${parameters.add(conditions)})`,
      );
    // Without a filter the scan stays index-only on postings; with one it joins each candidate's chunk.
    const candidateJoin =
      inner.length > 0 ? `JOIN search.chunks fc ON fc.id = p.chunk_id ${filters.join}` : '';
    const cap = Number.isFinite(postingsPerTerm)
      ? `LIMIT ${parameters.add(Math.floor(postingsPerTerm))}`
      : '';
    const [scopeSql, scopeValues] = this.dataSource.driver.escapeQueryWithParameters(
      scope.condition,
      scope.parameters,
      {},
    );
    const scopeCondition = scopeSql.replace(/\$(\d+)/g, (_, n: string) =>
      parameters.add(scopeValues[Number(n) - 1]),
    );
    const limitParameter = parameters.add(limit);
    const weightsParameter = parameters.add([...weights.values()]);
    const maxTermsParameter = parameters.add(this.options.maxTerms);
    const withTerms = `
      WITH terms AS (
        SELECT t.lexeme, q.weight * ${bm25IdfSql('s.chunk_count', 't.df')} AS idf
          FROM search.term_stats t
               JOIN search.corpus_stats s ON s.organization_id = t.organization_id
               JOIN unnest(${lexemes}::text[], ${weightsParameter}::float8[])
                    AS q(lexeme, weight) ON q.lexeme = t.lexeme
         WHERE t.organization_id = ${organization} AND t.df > 0 AND t.lexeme = ANY(${lexemes}::text[])
         ORDER BY t.df, t.lexeme
         LIMIT ${maxTermsParameter}
      ), hits AS (
        SELECT h.chunk_id, sum(terms.idf * h.impact) AS score
          FROM terms CROSS JOIN LATERAL (
                 SELECT p.chunk_id, p.impact FROM search.postings p ${candidateJoin}
                  WHERE p.organization_id = ${organization} AND p.lexeme = terms.lexeme
                        ${inner.map((c) => `AND ${c}`).join(' ')}
                  ORDER BY p.impact DESC ${cap}) h
         GROUP BY h.chunk_id
      )`;
    // The candidates are cut to the best `limit` before the chunks are joined (for their
    // document and the caller's scope): joining every candidate was half of the statement
    // (715 primary-key lookups for a KEYWORD query at 100,000 chunks, 3,000 for RM3's
    // expansion). Postings are read for the organization only, so today the scope rejects none
    // of them; should it reject some (a narrower visibility), the statement runs again joining
    // every candidate before the cut, so the scope can never starve the answer. The first
    // statement always answers one row at least, with the candidates' count, so a query that
    // matched nothing is known as such and not asked again.
    const ranked = (cutFirst: boolean) =>
      cutFirst
        ? `${withTerms}, top AS MATERIALIZED (
        SELECT chunk_id, score FROM hits ORDER BY score DESC, chunk_id LIMIT ${limitParameter})
      SELECT r.chunk_id, r.document_id, r.score, n.candidates
        FROM (SELECT count(*)::int AS candidates FROM hits) n
             LEFT JOIN LATERAL (
               SELECT c.id AS chunk_id, c.document_id, hits.score
                 FROM top hits JOIN search.chunks c ON c.id = hits.chunk_id
                WHERE ${scopeCondition}) r ON true
       ORDER BY r.score DESC, r.chunk_id
       LIMIT ${limitParameter}`
        : `${withTerms}
      SELECT c.id AS chunk_id, c.document_id, hits.score
        FROM hits JOIN search.chunks c ON c.id = hits.chunk_id
       WHERE ${scopeCondition}
       ORDER BY hits.score DESC, c.id
       LIMIT ${limitParameter}`;
    type Row = { chunk_id: string | null; document_id: string; score: number; candidates?: number };
    const first = await this.dataSource.query<Row[]>(ranked(true), parameters.values);
    const candidates = first[0]?.candidates ?? 0;
    let rows = first.filter((r) => r.chunk_id !== null);
    // Fewer rows than asked while candidates were left out by the scope.
    if (rows.length < limit && rows.length < candidates)
      rows = await this.dataSource.query<Row[]>(ranked(false), parameters.values);
    return rows.map((r) => ({
      chunkId: r.chunk_id!,
      documentId: r.document_id,
      score: Number(r.score),
    }));
  }
}

/** Candidates whose document frequency is read at once, per expansion word wanted. */
const COMMON_WORD_BATCH = 4;

/**
 * The feedback chunks' lexemes and term frequencies from their postings, in the first pass's
 * order. Read by the postings' primary key (chunk first): a plan that holds without statistics
 * (an organization-wide bitmap over postings took 60 ms on Cranfield).
 */
async function feedbackChunks(
  dataSource: DataSource,
  organizationId: string,
  hits: readonly RankedChunk[],
): Promise<FeedbackChunk[]> {
  const rows = await dataSource.query<Array<{ chunk_id: string; lexeme: string; tf: number }>>(
    `WITH feedback AS MATERIALIZED (
       SELECT p.organization_id, p.chunk_id, p.lexeme, p.tf FROM search.postings p
        WHERE p.chunk_id = ANY($2::uuid[]))
     SELECT chunk_id, lexeme, tf FROM feedback WHERE organization_id = $1`,
    [organizationId, hits.map((h) => h.chunkId)],
  );
  const terms = new Map(hits.map((h) => [h.chunkId, [] as FeedbackChunk['terms'][number][]]));
  for (const r of rows) terms.get(r.chunk_id)?.push({ lexeme: r.lexeme, tf: r.tf });
  return hits.map((h) => ({ score: h.score, terms: terms.get(h.chunkId) ?? [] }));
}

/** Those of the lexemes in more than the options' share of the organization's chunks. */
async function commonWords(
  dataSource: DataSource,
  organizationId: string,
  lexemes: readonly string[],
  options: RelevanceModelOptions,
): Promise<string[]> {
  const rows = await dataSource.query<Array<{ lexeme: string }>>(
    `SELECT t.lexeme FROM search.term_stats t
       JOIN search.corpus_stats s ON s.organization_id = t.organization_id
      WHERE t.organization_id = $1 AND t.lexeme = ANY($2::text[]) AND t.df > $3::float8 * s.chunk_count`,
    [organizationId, lexemes, options.maxDocumentFrequencyShare],
  );
  return rows.map((r) => r.lexeme);
}
