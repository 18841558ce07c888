import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../core/auth/principal';
import { Role } from '../../core/auth/role';
import { chunkScope } from '../../subgraphs/search/policies/chunk.policy';
import type { QueryEmbedder } from '../../subgraphs/search/retrieval/query-embedder';
import {
  VectorRetrieval,
  type VectorSearchOverride,
} from '../../subgraphs/search/retrieval/vector-retrieval';
import { lsaModelIdOf } from '../../subgraphs/search/semantic/lsa-store';
import { summary } from './load';

export interface RecallPoint {
  /** What was searched with: the product's own settings, or `ef_search N` / `probes N`. */
  setting: string;
  /** ann-benchmarks' recall: a hit counts when within 1e-3 of the exact 10th distance. */
  recall: number;
  /** This bench's earlier figure: within 1e-6 (a hit 0.0005 farther than the 10th is a miss). */
  strictRecall: number;
  p50: number;
  p95: number;
}

/**
 * recall@10 of search's vector path (VectorRetrieval, the organization's current embeddings:
 * LSA once trained) against an exact scan, with the product's settings and with each override
 * (ef_search for HNSW graphs, probes for IVFFlat lists): the trade-off curve. Queries are
 * embedded once by the product's query embedder; the exact 10 are computed once per query.
 *
 * A hit counts when its distance is within ann-benchmarks' epsilon (1e-3) of the exact 10th
 * neighbour's (its `knn` metric: ties and near-ties are as good as the one the scan listed).
 * Until 2026-12 this bench counted only hits within 1e-6; both are reported. These queries fold
 * in far from every chunk, where the top 10 is flat (many chunks within 1e-3 of the 10th).
 */
export const RECALL_EPSILON = 1e-3;
const STRICT_EPSILON = 1e-6;

export async function recallCurve(
  dataSource: DataSource,
  embedder: QueryEmbedder,
  organizationId: string,
  queries: string[],
  overrides: VectorSearchOverride[],
): Promise<{ model: string; exactMs: number[]; points: RecallPoint[] }> {
  const principal: Principal = {
    kind: 'user',
    userId: randomUUID(),
    organizationId,
    role: Role.MEMBER,
  };
  const scope = chunkScope(principal, 'c');
  const embedded = [];
  for (const query of queries) embedded.push(await embedder.embed(organizationId, query));
  const model = embedded[0]?.model ?? '';
  const lsaModelId = lsaModelIdOf(model);
  const distanceSql = lsaModelId
    ? `FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
        WHERE ${scope.condition} AND e.model_id = ${lsaModelId}`
    : `FROM search.chunks c CROSS JOIN LATERAL (SELECT c.embedding) e
        WHERE ${scope.condition} AND c.embedding_model = :model`;
  const distances = async (vector: number[], ids: string[] | null): Promise<number[]> => {
    const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
      ids
        ? `SELECT e.embedding <=> CAST(:vector AS public.vector) AS distance ${distanceSql}
             AND c.id = ANY(CAST(:ids AS uuid[]))`
        : // + 0: no index can give this order, so the scan is exact.
          `SELECT e.embedding <=> CAST(:vector AS public.vector) AS distance ${distanceSql}
            ORDER BY (e.embedding <=> CAST(:vector AS public.vector)) + 0 LIMIT 10`,
      { ...scope.parameters, model, ids, vector: `[${vector.join(',')}]` },
      {},
    );
    const rows = await dataSource.query<Array<{ distance: number }>>(sql, parameters);
    return rows.map((r) => Number(r.distance));
  };
  const exactMs: number[] = [];
  const exact: number[][] = [];
  for (const { vector } of embedded) {
    const t0 = performance.now();
    exact.push(await distances(vector, null));
    exactMs.push(performance.now() - t0);
  }
  const points: RecallPoint[] = [];
  for (const override of [{}, ...overrides]) {
    const vectors = new VectorRetrieval(dataSource, override);
    const ms: number[] = [];
    let found = 0;
    let strict = 0;
    let counted = 0;
    for (let q = 0; q < embedded.length; q++) {
      if (exact[q].length === 0) continue;
      const t0 = performance.now();
      const hits = await vectors.nearest(organizationId, embedded[q], 10);
      ms.push(performance.now() - t0);
      const tenth = exact[q][exact[q].length - 1];
      const near = await distances(
        embedded[q].vector,
        hits.map((h) => h.chunkId),
      );
      const within = (epsilon: number) =>
        Math.min(near.filter((d) => d <= tenth + epsilon).length, exact[q].length) /
        exact[q].length;
      found += within(RECALL_EPSILON);
      strict += within(STRICT_EPSILON);
      counted++;
    }
    const s = summary(ms);
    points.push({
      setting:
        override.efSearch !== undefined
          ? `ef_search ${override.efSearch}`
          : override.probes !== undefined
            ? `probes ${override.probes}`
            : 'product',
      recall: found / Math.max(1, counted),
      strictRecall: strict / Math.max(1, counted),
      p50: s.p50,
      p95: s.p95,
    });
  }
  return { model, exactMs, points };
}
