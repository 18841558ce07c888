import type { Retrieval, RetrievalMode } from '../../subgraphs/search/retrieval/retrieval';
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
