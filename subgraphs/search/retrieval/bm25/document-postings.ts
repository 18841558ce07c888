import type { EntityManager } from 'typeorm';
import { bm25ImpactSql, impactsDrifted } from './bm25';

/** What one document contributes to its organization's BM25 statistics. */
export interface DocumentTerms {
  /** Lexeme → number of the document's chunks that contain it. */
  df: Map<string, number>;
  chunks: number;
  /** Summed chunk lengths (lexeme positions). */
  length: number;
  /** Text-search configuration → chunks it analysed. */
  configs: Map<string, number>;
}

export const NO_TERMS: DocumentTerms = { df: new Map(), chunks: 0, length: 0, configs: new Map() };

export interface CorpusStats {
  chunkCount: number;
  totalLength: number;
  impactAverageLength: number | null;
}

/** The document's current contribution, read from its postings (before they are replaced). */
export async function documentTerms(
  manager: EntityManager,
  organizationId: string,
  documentId: string,
): Promise<DocumentTerms> {
  const rows = await manager.query<Array<{ lexeme: string; df: number; length: number }>>(
    `SELECT p.lexeme, count(*)::int AS df, sum(p.tf)::int AS length
       FROM search.chunks c JOIN search.postings p ON p.chunk_id = c.id
      WHERE c.organization_id = $1 AND c.document_id = $2
      GROUP BY p.lexeme`,
    [organizationId, documentId],
  );
  const configs = await manager.query<Array<{ config: string; chunks: number }>>(
    `SELECT text_search_config AS config, count(*)::int AS chunks FROM search.chunks
      WHERE organization_id = $1 AND document_id = $2 GROUP BY 1`,
    [organizationId, documentId],
  );
  return {
    df: new Map(rows.map((r) => [r.lexeme, r.df])),
    chunks: configs.reduce((sum, c) => sum + c.chunks, 0),
    configs: new Map(configs.map((c) => [c.config, c.chunks])),
    length: rows.reduce((sum, r) => sum + r.length, 0),
  };
}

/**
 * Writes the postings of the document's chunks from their tsvectors: tf is the number of
 * positions of the lexeme in the chunk (what the BM25 reference computes on the raw text).
 * Impacts are filled by `applyStatsDelta`, once the average length is known.
 */
export async function writeDocumentPostings(
  manager: EntityManager,
  organizationId: string,
  documentId: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO search.postings (organization_id, lexeme, chunk_id, tf, impact)
     SELECT c.organization_id, t.lexeme, c.id, GREATEST(COALESCE(cardinality(t.positions), 1), 1), 0
       FROM search.chunks c CROSS JOIN LATERAL unnest(c.tsv) AS t
      WHERE c.organization_id = $1 AND c.document_id = $2`,
    [organizationId, documentId],
  );
}

/**
 * Moves the organization's statistics from `before` to `after` (one document's contribution) and
 * computes the impacts of the document's new postings.
 *
 * Concurrency: every indexer and remover of an organization locks the term_stats rows it touches
 * in one statement, in lexeme order, and the corpus_stats row after them, so two transactions
 * never wait on each other in opposite orders (no deadlock), and the signed deltas commute (no
 * lost update). Rows whose df falls to zero are deleted while still locked.
 */
export async function applyStatsDelta(
  manager: EntityManager,
  organizationId: string,
  documentId: string,
  before: DocumentTerms,
  after: DocumentTerms,
): Promise<CorpusStats> {
  const delta = new Map<string, number>();
  for (const [lexeme, df] of after.df) delta.set(lexeme, df);
  for (const [lexeme, df] of before.df) delta.set(lexeme, (delta.get(lexeme) ?? 0) - df);
  const lexemes = [...delta.keys()].filter((l) => delta.get(l) !== 0).sort(compareBytes);
  if (lexemes.length > 0) {
    await manager.query(
      `INSERT INTO search.term_stats (organization_id, lexeme, df)
       SELECT $1, u.lexeme, u.delta FROM unnest($2::text[], $3::int[]) AS u(lexeme, delta)
        ORDER BY u.lexeme COLLATE "C"
       ON CONFLICT (organization_id, lexeme) DO UPDATE SET df = GREATEST(0, search.term_stats.df + excluded.df)`,
      [organizationId, lexemes, lexemes.map((l) => delta.get(l))],
    );
    await manager.query(
      `DELETE FROM search.term_stats WHERE organization_id = $1 AND lexeme = ANY($2::text[]) AND df <= 0`,
      [organizationId, lexemes],
    );
  }
  const configDelta = new Map(after.configs);
  for (const [config, n] of before.configs)
    configDelta.set(config, (configDelta.get(config) ?? 0) - n);
  await manager.query(
    `INSERT INTO search.corpus_stats (organization_id, chunk_count, total_length) VALUES ($1, 0, 0)
     ON CONFLICT (organization_id) DO NOTHING`,
    [organizationId],
  );
  // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's postgres driver.
  const [[row]] = await manager.query<
    [Array<{ chunk_count: number; total_length: string; impact_avg_length: number | null }>, number]
  >(
    `UPDATE search.corpus_stats
        SET chunk_count = GREATEST(0, chunk_count + $2::int),
            total_length = GREATEST(0, total_length + $3::bigint),
            text_search_configs = (
              SELECT COALESCE(jsonb_object_agg(k, n) FILTER (WHERE n > 0), '{}'::jsonb)
                FROM (SELECT k, sum(n)::int AS n
                        FROM (SELECT key AS k, value::int AS n FROM jsonb_each_text(text_search_configs)
                              UNION ALL SELECT * FROM unnest($4::text[], $5::int[])) AS d(k, n)
                       GROUP BY k) AS m),
            -- The first chunks fix the average the impacts are computed with.
            impact_avg_length = COALESCE(impact_avg_length,
              CASE WHEN chunk_count + $2::int > 0
                   THEN (total_length + $3::bigint)::float8 / (chunk_count + $2::int) END)
      WHERE organization_id = $1
      RETURNING chunk_count, total_length, impact_avg_length`,
    [
      organizationId,
      after.chunks - before.chunks,
      after.length - before.length,
      [...configDelta.keys()],
      [...configDelta.values()],
    ],
  );
  const stats: CorpusStats = {
    chunkCount: row.chunk_count,
    totalLength: Number(row.total_length),
    impactAverageLength: row.impact_avg_length,
  };
  if (after.chunks > 0 && stats.impactAverageLength !== null)
    await manager.query(
      `UPDATE search.postings p SET impact = ${bm25ImpactSql('p.tf', 'l.length', '$3::float8')}
         FROM (SELECT p2.chunk_id, sum(p2.tf)::float8 AS length
                 FROM search.chunks c JOIN search.postings p2 ON p2.chunk_id = c.id
                WHERE c.organization_id = $1 AND c.document_id = $2
                GROUP BY p2.chunk_id) l
        WHERE p.chunk_id = l.chunk_id`,
      [organizationId, documentId, stats.impactAverageLength],
    );
  return stats;
}

/** True when the stored impacts should be recomputed with the current average length. */
export function needsImpactRefresh(stats: CorpusStats): boolean {
  return (
    stats.chunkCount > 0 &&
    impactsDrifted(stats.impactAverageLength, stats.totalLength / stats.chunkCount)
  );
}

/** Byte order, as PostgreSQL's "C" collation sorts: the same lock order in JS and SQL. */
function compareBytes(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}
