import type { DataSource } from 'typeorm';
import { bm25ImpactSql } from './bm25';

const BATCH_CHUNKS = 2_000;

/**
 * Recomputes an organization's stored BM25 impacts with its current average chunk length, once
 * that average has drifted past IMPACT_DRIFT_LIMIT from the one they were computed with. The new
 * average is recorded first (indexers use it from then on), then the postings are rewritten by
 * chunk ranges in short transactions, so indexing and search never wait long on it; meanwhile a
 * few chunks rank with the old normalization, off by a few percent at most.
 */
export class RefreshImpactsService {
  constructor(private readonly dataSource: DataSource) {}

  async execute(organizationId: string): Promise<{ averageLength: number; chunks: number }> {
    const [[stats]] = (await this.dataSource.query(
      `UPDATE search.corpus_stats SET impact_avg_length = total_length::float8 / chunk_count
        WHERE organization_id = $1 AND chunk_count > 0
        RETURNING impact_avg_length`,
      [organizationId],
    )) as [Array<{ impact_avg_length: number }>, number];
    if (!stats) return { averageLength: 0, chunks: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    let chunks = 0;
    for (;;) {
      const ids = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM search.chunks WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [organizationId, after, BATCH_CHUNKS],
      );
      if (ids.length === 0) return { averageLength: stats.impact_avg_length, chunks };
      after = ids[ids.length - 1].id;
      chunks += ids.length;
      await this.dataSource.query(
        `UPDATE search.postings p SET impact = ${bm25ImpactSql('p.tf', 'l.length', '$3::float8')}
           FROM (SELECT chunk_id, sum(tf)::float8 AS length FROM search.postings
                  WHERE chunk_id = ANY($2::uuid[]) GROUP BY chunk_id) l
          WHERE p.chunk_id = l.chunk_id AND p.organization_id = $1`,
        [organizationId, ids.map((r) => r.id), stats.impact_avg_length],
      );
    }
  }
}
