import type { DataSource } from 'typeorm';
import type { AiProvider } from '../../../core/ai/ai-provider';
import type { Logger } from '../../../core/logging/logger';
import type { ObjectStorage } from '../../../core/storage';
import type { ExtractionLimits } from './extraction/extract-pdf';
import type { PipelineQueue } from './pipeline-jobs';

/** What the pipeline's stages work with, built once per worker process. */
export interface PipelineContext {
  dataSource: DataSource;
  storage: ObjectStorage;
  ai: AiProvider;
  pipeline: PipelineQueue;
  logger: Logger;
  limits: ExtractionLimits;
  jobTimeoutMs: number;
  /** Whether runs add search's index job to their flow (a search worker must serve its queue). */
  index: boolean;
}
