import { queryConfigsSql } from '../retrieval/query-configs';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeVector } from './lsa-model';

type Queryable = DataSource | EntityManager;

/** Names the embeddings of one model version (a query embedding's `model`, cache keys). */
export const LSA_MODEL_PREFIX = 'local-lsa-v1';
export const lsaModelName = (modelId: string): string => `${LSA_MODEL_PREFIX}/${modelId}`;

/** The model version id an LSA model name names (digits only), or null for any other model. */
export function lsaModelIdOf(model: string): string | null {
  const match = /^local-lsa-v1\/(\d{1,18})$/.exec(model);
  return match ? match[1] : null;
}

export interface LsaModelRow {
  id: string;
  version: number;
  dimensions: number;
  corpusChunks: number;
  name: string;
}

/**
 * Advisory lock key of an organization's model: indexers hold it shared while they write and
 * fold chunks, a switch to a new version holds it exclusively.
 */
export const lockModelSql = (mode: 'shared' | 'exclusive'): string =>
  `SELECT pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(hashtextextended($1::text, 7302))`;

export async function currentLsaModel(
  q: Queryable,
  organizationId: string,
): Promise<LsaModelRow | null> {
  const [row] = await q.query<
    Array<{ id: string; version: number; dimensions: number; corpus_chunks: number }>
  >(
    `SELECT id::text, version, dimensions, corpus_chunks FROM search.lsa_models
      WHERE organization_id = $1 AND status = 'current'`,
    [organizationId],
  );
  return row
    ? {
        id: row.id,
        version: row.version,
        dimensions: row.dimensions,
        corpusChunks: row.corpus_chunks,
        name: lsaModelName(row.id),
      }
    : null;
}

/** Only the rows of the given lexemes: folding a text never reads the whole model. */
export async function lsaTermVectors(
  q: Queryable,
  modelId: string,
  lexemes: readonly string[],
): Promise<Map<string, Float32Array>> {
  if (lexemes.length === 0) return new Map();
  const rows = await q.query<Array<{ lexeme: string; vector: Buffer }>>(
    `SELECT lexeme, vector FROM search.lsa_terms WHERE model_id = $1 AND lexeme = ANY($2::text[])`,
    [modelId, lexemes],
  );
  return new Map(rows.map((r) => [r.lexeme, decodeVector(r.vector)]));
}

/** Each chunk's lexemes and term frequencies, from its BM25 postings. */
export async function chunkTerms(
  q: Queryable,
  chunkIds: readonly string[],
): Promise<Map<string, Array<{ lexeme: string; tf: number }>>> {
  const terms = new Map<string, Array<{ lexeme: string; tf: number }>>(
    chunkIds.map((id) => [id, []]),
  );
  if (chunkIds.length === 0) return terms;
  const rows = await q.query<Array<{ chunk_id: string; lexeme: string; tf: number }>>(
    `SELECT chunk_id, lexeme, tf FROM search.postings WHERE chunk_id = ANY($1::uuid[])`,
    [chunkIds],
  );
  for (const row of rows) terms.get(row.chunk_id)?.push({ lexeme: row.lexeme, tf: row.tf });
  return terms;
}

/**
 * A query's lexemes with their counts, analysed with the organization's main configurations
 * (retrieval/query-configs.ts; the largest count of a lexeme across them).
 */
export async function queryTerms(
  q: Queryable,
  organizationId: string,
  text: string,
): Promise<Array<{ lexeme: string; tf: number }>> {
  if (!text.trim()) return [];
  return q.query<Array<{ lexeme: string; tf: number }>>(
    `SELECT t.lexeme, max(GREATEST(COALESCE(cardinality(t.positions), 1), 1))::int AS tf
       FROM search.corpus_stats s
            CROSS JOIN LATERAL ${queryConfigsSql('s')} AS cfg
            CROSS JOIN LATERAL unnest(to_tsvector(cfg.name::regconfig, $2)) AS t
      WHERE s.organization_id = $1
      GROUP BY t.lexeme`,
    [organizationId, text],
  );
}

/**
 * The organization's current model and a query's lexemes with their counts and term vectors,
 * in one statement (one round trip per query instead of three: the model, the analysis, the
 * term rows). The analysis is queryTerms'; lexemes the model does not know have no vector.
 * Null when the organization has no model.
 */
export async function lsaQueryTerms(
  q: Queryable,
  organizationId: string,
  text: string,
): Promise<{
  model: LsaModelRow;
  terms: Array<{ tf: number; vector: Float32Array | undefined }>;
} | null> {
  const rows = await q.query<
    Array<{
      id: string;
      version: number;
      dimensions: number;
      corpus_chunks: number;
      tf: number | null;
      vector: Buffer | null;
    }>
  >(
    `SELECT m.id::text, m.version, m.dimensions, m.corpus_chunks, q.tf, lt.vector
       FROM search.lsa_models m
       LEFT JOIN LATERAL (
         SELECT t.lexeme, max(GREATEST(COALESCE(cardinality(t.positions), 1), 1))::int AS tf
           FROM search.corpus_stats s
                CROSS JOIN LATERAL ${queryConfigsSql('s')} AS cfg
                CROSS JOIN LATERAL unnest(to_tsvector(cfg.name::regconfig, $2)) AS t
          WHERE s.organization_id = $1
          GROUP BY t.lexeme) q ON true
       LEFT JOIN search.lsa_terms lt ON lt.model_id = m.id AND lt.lexeme = q.lexeme
      WHERE m.organization_id = $1 AND m.status = 'current'`,
    [organizationId, text],
  );
  if (rows.length === 0) return null;
  const [row] = rows;
  return {
    model: {
      id: row.id,
      version: row.version,
      dimensions: row.dimensions,
      corpusChunks: row.corpus_chunks,
      name: lsaModelName(row.id),
    },
    terms: rows
      .filter((r) => r.tf !== null)
      .map((r) => ({ tf: r.tf!, vector: r.vector ? decodeVector(r.vector) : undefined })),
  };
}
