import type { DataSource } from 'typeorm';
import { currentLsaModel } from './lsa-store';

/**
 * When an organization gets its first model and when a new version: LSA needs co-occurrence to
 * learn from — at 200 chunks a 100-dimension model (half the chunks) is the smallest that beat
 * the hashed vectors on the harness — and a model is retrained once the corpus has grown by half
 * since it was trained (new vocabulary folds in with no vector until then).
 */
export const LSA_MIN_CHUNKS = 200;
export const LSA_RETRAIN_GROWTH = 1.5;

/** The version a training job would build now, or null when none is due. */
export async function lsaVersionDue(
  dataSource: DataSource,
  organizationId: string,
  chunkCount: number,
  minChunks = LSA_MIN_CHUNKS,
): Promise<number | null> {
  if (chunkCount < minChunks) return null;
  const model = await currentLsaModel(dataSource, organizationId);
  if (model && chunkCount < model.corpusChunks * LSA_RETRAIN_GROWTH) return null;
  const [{ version }] = await dataSource.query<Array<{ version: number }>>(
    `SELECT COALESCE(max(version), 0) + 1 AS version FROM search.lsa_models WHERE organization_id = $1`,
    [organizationId],
  );
  return version;
}
