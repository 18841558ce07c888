import type { DataSource } from 'typeorm';
import type { Retrieval, RetrievalMode } from '../../subgraphs/search/retrieval/retrieval';
import { lsaModelIdOf } from '../../subgraphs/search/semantic/lsa-store';
import type { Cranfield } from './cranfield';
import { mean, scoreRanking, type Scores } from './metrics';

/** Chunk hits → Cranfield document ids in rank order, each document once (its best chunk). */
export function documentRanking(
  hits: ReadonlyArray<{ documentId: string }>,
  cranfieldId: Map<string, number>,
): number[] {
  const seen = new Set<number>();
  const ranked: number[] = [];
  for (const hit of hits) {
    const id = cranfieldId.get(hit.documentId);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    ranked.push(id);
  }
  return ranked;
}

export async function evaluateMode(
  retrieval: Retrieval,
  organizationId: string,
  mode: RetrievalMode,
  collection: Cranfield,
  cranfieldId: Map<string, number>,
): Promise<Scores & { msPerQuery: number; cpuMsPerQuery: number }> {
  const scores: Scores[] = [];
  const started = Date.now();
  // This process's CPU (the legs' JavaScript, not PostgreSQL's): survives a loaded machine better.
  const cpu = process.cpuUsage();
  for (const query of collection.queries) {
    const hits = await retrieval.retrieve({ organizationId, query: query.text, mode, limit: 100 });
    scores.push(
      scoreRanking(documentRanking(hits, cranfieldId), collection.judgments.get(query.number)!),
    );
  }
  const used = process.cpuUsage(cpu);
  return {
    ...mean(scores),
    msPerQuery: (Date.now() - started) / collection.queries.length,
    cpuMsPerQuery: (used.user + used.system) / 1000 / collection.queries.length,
  };
}

/**
 * nDCG@10 of a search served elsewhere (the gateway's `search`): `hitsOf` answers a query's
 * chunk hits best first, at least enough of them for ten documents.
 */
export async function ndcg10Of(
  hitsOf: (query: string) => Promise<ReadonlyArray<{ documentId: string }>>,
  collection: Cranfield,
  cranfieldId: Map<string, number>,
): Promise<number> {
  const scores: Scores[] = [];
  for (const query of collection.queries)
    scores.push(
      scoreRanking(
        documentRanking(await hitsOf(query.text), cranfieldId),
        collection.judgments.get(query.number)!,
      ),
    );
  return mean(scores).ndcg10;
}

/**
 * HNSW recall@10: the index's 10 nearest chunks against the exact 10 nearest (a sequential scan
 * and sort), for each query's embedding, in the organization, among chunks of its model. The
 * planner is steered onto the index (at this size it would often scan exactly anyway).
 */
export async function hnswRecallAt10(
  dataSource: DataSource,
  organizationId: string,
  embeddings: ReadonlyArray<{ model: string; vector: number[] }>,
  efSearch: number,
): Promise<number> {
  let found = 0;
  let total = 0;
  for (const { model, vector } of embeddings) {
    if (!vector.some((v) => v !== 0)) continue;
    const literal = `[${vector.join(',')}]`;
    const nearest = (exact: boolean) =>
      dataSource.transaction(async (manager) => {
        if (exact) await manager.query(`SET LOCAL enable_indexscan = off`);
        else {
          await manager.query(`SET LOCAL enable_seqscan = off`);
          await manager.query(`SET LOCAL enable_bitmapscan = off`);
          await manager.query(`SET LOCAL hnsw.ef_search = ${efSearch}`);
          await manager.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
        }
        // An LSA version's vectors are its rows of search.lsa_embeddings (one per chunk and
        // version); other models' are the chunks' own.
        const lsaModelId = lsaModelIdOf(model);
        const rows = await manager.query<Array<{ id: string }>>(
          lsaModelId
            ? `SELECT c.id FROM search.lsa_embeddings e JOIN search.chunks c ON c.id = e.chunk_id
                WHERE c.organization_id = $1 AND e.model_id = $2::bigint
                ORDER BY e.embedding <=> $3::public.vector LIMIT 10`
            : `SELECT id FROM search.chunks WHERE organization_id = $1 AND embedding_model = $2
                ORDER BY embedding <=> $3::public.vector LIMIT 10`,
          [organizationId, lsaModelId ?? model, literal],
        );
        return rows.map((r) => r.id);
      });
    const [approximate, exact] = [await nearest(false), await nearest(true)];
    const truth = new Set(exact);
    found += approximate.filter((id) => truth.has(id)).length;
    total += exact.length;
  }
  return total > 0 ? found / total : NaN;
}
