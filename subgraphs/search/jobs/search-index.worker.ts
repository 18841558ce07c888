import { Queue, Worker, type Job } from 'bullmq';
import { inJobTrace } from '../../../core/observability/tracing';
import type { Redis } from 'ioredis';
import type { AiProvider } from '../../../core/ai/ai-provider';
import type { Config } from '../../../core/config/config';
import { loadObjectStorage } from '../../../core/storage/load-object-storage';
import { openWorkerDataSource } from '../../../core/db/data-source';
import type { Logger } from '../../../core/logging/logger';
import { createRedis } from '../../../core/redis/redis';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import { QueueName } from '../../../workers/queues';
import { ChunkRecord } from '../entities/chunk.entity';
import { RefreshImpactsService } from '../retrieval/bm25/refresh-impacts.service';
import { LsaChunkFolder } from '../semantic/lsa-chunk-folder';
import { lsaVersionDue } from '../semantic/lsa-training-policy';
import { TrainLsaService } from '../semantic/train-lsa.service';
import { IndexDocumentService } from '../services/index-document.service';
import { RemoveDocumentChunksService } from '../services/remove-document-chunks.service';
import {
  INDEX_DOCUMENT_JOB,
  IndexDocumentJob,
  type IndexDocumentJobData,
} from './index-document.job';
import { TRAIN_LSA_JOB, TrainLsaJob, trainLsaJobId, type TrainLsaJobData } from './train-lsa.job';
import {
  REMOVE_DOCUMENT_CHUNKS_JOB,
  RemoveDocumentChunksJob,
  removeDocumentChunksJobId,
  type RemoveDocumentChunksJobData,
} from './remove-document-chunks.job';

/** Recomputes an organization's stored BM25 impacts (retrieval/bm25/refresh-impacts.service.ts). */
export const REFRESH_IMPACTS_JOB = 'refresh-bm25-impacts';

export interface RunningSearchIndexer {
  worker: Worker;
  stop: () => Promise<void>;
}

/** Retries with exponential backoff for the search index queue's jobs. */
export const SEARCH_INDEX_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60 },
} as const;

/**
 * The search index queue in a worker process: `index-document` (chunk, embed, replace the
 * document's chunks) and `remove-document-chunks` (document.deleted). The providers come from
 * the configuration unless given (tests, benches).
 */
export async function startSearchIndexer(
  config: Config,
  logger: Logger,
  options: {
    ai?: AiProvider;
    storage?: ObjectStorage;
    concurrency?: number;
    /** Chunks an organization needs before its first LSA model (tests lower it). */
    lsaMinChunks?: number;
  } = {},
): Promise<RunningSearchIndexer> {
  // Loaded here so that importing this file does not load every provider's SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ai =
    options.ai ??
    (require('../../../core/ai') as typeof import('../../../core/ai')).createAiProvider(config);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const storage = options.storage ?? loadObjectStorage(config);
  const dataSource = await openWorkerDataSource(config, 'search', logger, {
    entities: [ChunkRecord],
  });
  // The local provider learns each organization's embeddings (LSA): new chunks are folded into
  // its current model on arrival and a training job is queued when one is due. A provider with
  // its own embedding model (openai) needs neither.
  const learnsEmbeddings = config.AI_PROVIDER === 'local';
  const indexJob = new IndexDocumentJob(
    storage,
    new IndexDocumentService(
      dataSource,
      ai,
      undefined,
      learnsEmbeddings ? new LsaChunkFolder(ai.dimensions) : null,
    ),
  );
  const removeJob = new RemoveDocumentChunksJob(new RemoveDocumentChunksService(dataSource));
  const trainJob = new TrainLsaJob(new TrainLsaService(dataSource, ai.dimensions));
  const refreshImpacts = new RefreshImpactsService(dataSource);
  const connection = createRedis(config.REDIS_URL, { forWorkers: true });
  const producer = new Queue(QueueName.SearchIndex, {
    connection,
    prefix: `${config.REDIS_PREFIX}:bull`,
  });
  const queueTrainingIfDue = async (organizationId: string, chunks: number): Promise<void> => {
    if (!learnsEmbeddings) return;
    const version = await lsaVersionDue(dataSource, organizationId, chunks, options.lsaMinChunks);
    if (version === null) return;
    const data: TrainLsaJobData = { organizationId, version };
    // One job per version (its id): every document indexed meanwhile adds nothing.
    await producer.add(TRAIN_LSA_JOB, data, {
      ...SEARCH_INDEX_JOB_OPTIONS,
      attempts: 2,
      jobId: trainLsaJobId(data),
    });
  };
  connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const worker = new Worker(
    QueueName.SearchIndex,
    inJobTrace(async (job: Job) => {
      switch (job.name) {
        case INDEX_DOCUMENT_JOB: {
          const started = Date.now();
          const result = await indexJob.handle(job as Job<IndexDocumentJobData>);
          logger.info(
            { documentId: job.data.documentId, ...result, ms: Date.now() - started },
            'document indexed',
          );
          if (result.indexed)
            await queueTrainingIfDue(job.data.organizationId, result.organizationChunks);
          if (result.impactsNeedRefresh)
            // One refresh per organization at a time (the id); a later drift queues the next.
            await producer.add(
              REFRESH_IMPACTS_JOB,
              { organizationId: job.data.organizationId },
              {
                ...SEARCH_INDEX_JOB_OPTIONS,
                jobId: `${REFRESH_IMPACTS_JOB}_${job.data.organizationId}`,
                removeOnComplete: true,
              },
            );
          return result;
        }
        case REFRESH_IMPACTS_JOB:
          return refreshImpacts.execute((job.data as { organizationId: string }).organizationId);
        case TRAIN_LSA_JOB: {
          // A version queued while another was being built may no longer be due.
          const [stats] = await dataSource.query<Array<{ chunk_count: number }>>(
            `SELECT chunk_count FROM search.corpus_stats WHERE organization_id = $1`,
            [job.data.organizationId],
          );
          const due = await lsaVersionDue(
            dataSource,
            job.data.organizationId,
            stats?.chunk_count ?? 0,
            options.lsaMinChunks,
          );
          if (due === null) return { trained: false, reason: 'no longer due' };
          const result = await trainJob.handle(job as Job<TrainLsaJobData>);
          logger.info({ organizationId: job.data.organizationId, ...result }, 'LSA model trained');
          return result;
        }
        case REMOVE_DOCUMENT_CHUNKS_JOB:
          return removeJob.handle(job as Job<RemoveDocumentChunksJobData>);
        default:
          throw new Error(`Unknown search index job ${job.name}`);
      }
    }),
    {
      connection,
      prefix: `${config.REDIS_PREFIX}:bull`,
      concurrency: options.concurrency ?? 2,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'search indexer error'));
  worker.on('failed', (job, error) =>
    logger.warn(
      { err: error, jobId: job?.id, attempts: job?.attemptsMade },
      'search index job failed',
    ),
  );
  return {
    worker,
    stop: async () => {
      await worker.close();
      await producer.close();
      connection.disconnect();
      await dataSource.destroy();
    },
  };
}

/** The producer side, for whoever reacts to `document.deleted` (and for tests). */
export class SearchIndexQueue {
  readonly queue: Queue;

  constructor(connection: Redis, redisPrefix: string) {
    this.queue = new Queue(QueueName.SearchIndex, { connection, prefix: `${redisPrefix}:bull` });
  }

  async removeDocument(data: RemoveDocumentChunksJobData): Promise<void> {
    await this.queue.add(REMOVE_DOCUMENT_CHUNKS_JOB, data, {
      ...SEARCH_INDEX_JOB_OPTIONS,
      jobId: removeDocumentChunksJobId(data),
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
