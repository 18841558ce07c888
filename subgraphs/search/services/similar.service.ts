import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { chunkScope } from '../policies/chunk.policy';
import type { RankedChunk, Retrieval } from '../retrieval/retrieval';
import { highlightHtml } from './highlight';
import { loadChunks } from './load-chunks';
import type { SearchHitResult } from './search.service';

/** The document's opening chunks stand for it: most documents say what they are early. */
const PROBE_CHUNKS = 3;

/**
 * `Document.similar`: the chunks of the organization's other documents nearest to this
 * document's opening chunks (embedding cosine), best first. Nothing for a document the caller
 * may not see or that has no chunks yet.
 */
export class SimilarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retrieval: Retrieval,
  ) {}

  async execute(
    principal: Principal,
    documentId: string,
    first: number,
  ): Promise<SearchHitResult[]> {
    if (!this.retrieval.similarToChunk) return [];
    const scope = chunkScope(principal, 'c');
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT c.id FROM search.chunks c
        WHERE ${scope.condition} AND c.document_id = :documentId
        ORDER BY c.index LIMIT ${PROBE_CHUNKS}`,
      { ...scope.parameters, documentId },
      {},
    );
    const probes = await this.dataSource.query<Array<{ id: string }>>(sql, parameters);
    const best = new Map<string, RankedChunk>();
    for (const probe of probes) {
      const near = await this.retrieval.similarToChunk(principal.organizationId, probe.id, first);
      for (const hit of near) {
        if (hit.documentId === documentId) continue;
        const seen = best.get(hit.chunkId);
        if (!seen || seen.score < hit.score) best.set(hit.chunkId, hit);
      }
    }
    const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, first);
    const chunks = await loadChunks(
      this.dataSource,
      principal,
      ranked.map((r) => r.chunkId),
    );
    return ranked.flatMap((r) => {
      const chunk = chunks.get(r.chunkId);
      if (!chunk) return [];
      return [
        {
          documentId: chunk.documentId,
          chunk: { id: chunk.id, index: chunk.index, page: chunk.page, text: chunk.text },
          score: r.score,
          highlight: highlightHtml(null, chunk.text),
        },
      ];
    });
  }
}
