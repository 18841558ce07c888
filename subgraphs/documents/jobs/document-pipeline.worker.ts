import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { inJobTrace } from '../../../core/observability/tracing';
import { createAiProvider, type AiProvider } from '../../../core/ai';
import type { Config } from '../../../core/config/config';
import { createSubgraphDataSource } from '../../../core/db/data-source';
import type { Logger } from '../../../core/logging/logger';
import { createRedis } from '../../../core/redis/redis';
import { createObjectStorage } from '../../../core/storage';
import { CategoryRecord } from '../entities/category.entity';
import { DocumentRecord } from '../entities/document.entity';
import type { PipelineContext } from './pipeline-context';
import {
  bullPrefix,
  DOCUMENT_PIPELINE_QUEUE,
  PipelineQueue,
  type PipelineJob,
  type PipelineJobData,
} from './pipeline-jobs';
import { closePdfWorkers } from './extraction/extract-pdf';
import { failDocument, runStage } from './pipeline-stages';

export interface RunningPipeline {
  worker: Worker<PipelineJobData>;
  stop: () => Promise<void>;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Every this often, QUEUED documents whose extract job was never added (Redis down at the commit) are re-added. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * The documents pipeline in a worker process: one BullMQ Worker on the pipeline queue running
 * every stage (pipeline-stages.ts), with a per-job timeout, stalled-job recovery (lockDuration,
 * stalledInterval) and a sweep for documents queued but never enqueued.
 */
export async function startDocumentPipeline(
  config: Config,
  logger: Logger,
  options: { ai?: AiProvider; index?: boolean } = {},
): Promise<RunningPipeline> {
  const dataSource = createSubgraphDataSource({
    url: config.DATABASE_URL,
    schema: 'documents',
    entities: [DocumentRecord, CategoryRecord],
    migrations: [],
    poolSize: Math.min(config.DATABASE_POOL_SIZE, config.PIPELINE_CONCURRENCY + 2),
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await dataSource.initialize();
  const producerConnection = createRedis(config.REDIS_URL);
  const workerConnection = createRedis(config.REDIS_URL, { forWorkers: true });
  for (const c of [producerConnection, workerConnection])
    c.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const pipeline = new PipelineQueue(producerConnection, config.REDIS_PREFIX, {
    attempts: config.PIPELINE_ATTEMPTS,
  });
  const ctx: PipelineContext = {
    dataSource,
    storage: createObjectStorage(config),
    ai: options.ai ?? createAiProvider(config),
    pipeline,
    logger,
    limits: {
      maxPages: config.PIPELINE_MAX_PAGES,
      maxChars: config.PIPELINE_MAX_CHARS,
      timeoutMs: config.PIPELINE_EXTRACT_TIMEOUT_MS,
      memoryMb: config.PIPELINE_EXTRACT_MEMORY_MB,
    },
    jobTimeoutMs: config.PIPELINE_JOB_TIMEOUT_MS,
    index: options.index ?? true,
  };

  const worker = new Worker<PipelineJobData>(
    DOCUMENT_PIPELINE_QUEUE,
    inJobTrace((job: Job<PipelineJobData>) =>
      withTimeout(runStage(ctx, job), ctx.jobTimeoutMs, `The ${job.name} stage`),
    ),
    {
      connection: workerConnection,
      prefix: bullPrefix(config.REDIS_PREFIX),
      concurrency: config.PIPELINE_CONCURRENCY,
      lockDuration: config.PIPELINE_LOCK_DURATION_MS,
      stalledInterval: config.PIPELINE_STALLED_INTERVAL_MS,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'pipeline worker error'));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= (job.opts.attempts ?? 1) ||
      /stalled more than/i.test(error.message);
    logger.warn(
      {
        documentId: job.data.documentId,
        stage: job.name,
        attempt: job.attemptsMade,
        final,
        err: error,
      },
      'pipeline stage failed',
    );
    if (!final) return;
    failDocument(ctx, job.data, job.name as PipelineJob, error.message).catch((failure) =>
      logger.error({ err: failure, documentId: job.data.documentId }, 'could not record a failure'),
    );
  });

  const sweep = async () => {
    const rows: { id: string; organization_id: string; processing_run_id: string }[] =
      await dataSource.query(
        `SELECT id, organization_id, processing_run_id FROM documents.documents
          WHERE status = 'QUEUED' AND processing_run_id IS NOT NULL
            AND updated_at < now() - interval '1 minute'
          ORDER BY updated_at LIMIT 500`,
      );
    for (const row of rows)
      await pipeline.start({
        documentId: row.id,
        organizationId: row.organization_id,
        runId: row.processing_run_id,
      });
  };
  const sweeper = setInterval(() => {
    sweep().catch((error) => logger.warn({ err: error }, 'pipeline sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    worker,
    stop: async () => {
      clearInterval(sweeper);
      await worker.close();
      await pipeline.close();
      producerConnection.disconnect();
      workerConnection.disconnect();
      await dataSource.destroy();
      await closePdfWorkers();
    },
  };
}
