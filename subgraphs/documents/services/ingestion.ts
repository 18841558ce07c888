import type { ObjectStorage } from '../../../core/storage';
import type { PipelineQueue } from '../jobs/pipeline-jobs';

/** What the upload services need besides the database: where bytes live and the pipeline's queue. */
export interface Ingestion {
  storage: ObjectStorage;
  pipeline: PipelineQueue;
  maxUploadBytes: number;
  uploadUrlTtlSeconds: number;
  downloadUrlTtlSeconds: number;
}
