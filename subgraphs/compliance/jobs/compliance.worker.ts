import { Worker, type Job } from 'bullmq';
import { inJobTrace } from '../../../core/observability/tracing';
import type { Config } from '../../../core/config/config';
import { loadObjectStorage } from '../../../core/storage/load-object-storage';
import { openWorkerDataSource } from '../../../core/db/data-source';
import type { Logger } from '../../../core/logging/logger';
import { createRedis } from '../../../core/redis/redis';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import { QueueName } from '../../../workers/queues';
import { RunEngine } from '../services/run-engine';
import {
  ComplianceJob,
  ComplianceQueue,
  type PlanRunJobData,
  type RunBatchJobData,
  type ScheduleRunsJobData,
} from './compliance-queue';
import { DocumentEventsJob } from './document-events.job';

/** A run still unfinished this long after it started is re-planned by the next scheduled tick. */
const RESUME_AFTER_MS = 15 * 60 * 1000;
const ORGANIZATIONS_PAGE = 500;

export interface RunningComplianceWorker {
  worker: Worker;
  queue: ComplianceQueue;
  engine: RunEngine;
  /** The durable consumer of document events (registered in workers/events/event-consumers.ts). */
  documentEvents: DocumentEventsJob;
  stop: () => Promise<void>;
}

/**
 * The compliance queue in a worker process: scheduled ticks fan out to one run per
 * organization, runs are planned into keyset batches, batches are evaluated. Any number of
 * worker processes may serve it; every step is idempotent (services/run-engine.ts).
 */
export async function startComplianceWorker(
  config: Config,
  logger: Logger,
  options: { storage?: ObjectStorage; concurrency?: number; batchSize?: number } = {},
): Promise<RunningComplianceWorker> {
  const storage = options.storage ?? loadObjectStorage(config);
  const dataSource = await openWorkerDataSource(config, 'compliance', logger);
  const engine = new RunEngine(dataSource, options.batchSize ?? config.COMPLIANCE_BATCH_SIZE);
  const connection = createRedis(config.REDIS_URL, { forWorkers: true });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queue = new ComplianceQueue(connection, config.REDIS_PREFIX);
  queue.queue.on('error', (error) => logger.warn({ err: error }, 'compliance queue error'));

  const scheduleRuns = async (job: Job<ScheduleRunsJobData>) => {
    // The tick's job id (`repeat:<scheduler>:<time>`) keys its runs: a retried tick starts none twice.
    const runKey = `${job.data.trigger}:${job.id}`;
    let after: string | null = null;
    let started = 0;
    for (;;) {
      const organizations = await engine.organizations(after, ORGANIZATIONS_PAGE);
      if (organizations.length === 0) break;
      for (const organizationId of organizations) {
        const runId = await engine.start({
          organizationId,
          scope: job.data.scope,
          trigger: job.data.trigger,
          runKey,
        });
        await queue.plan(runId);
        started++;
      }
      after = organizations.at(-1)!;
    }
    const stale = await engine.unfinished(new Date(Date.now() - RESUME_AFTER_MS));
    for (const runId of stale) await queue.plan(runId, `resume-${job.id}`);
    return { started, resumed: stale.length };
  };

  const worker = new Worker(
    QueueName.Compliance,
    inJobTrace(async (job: Job) => {
      switch (job.name) {
        case ComplianceJob.ScheduleRuns:
          return scheduleRuns(job as Job<ScheduleRunsJobData>);
        case ComplianceJob.PlanRun: {
          const { runId } = job.data as PlanRunJobData;
          const pending = await engine.plan(runId);
          await queue.batches(runId, pending);
          return { batches: pending.length };
        }
        case ComplianceJob.RunBatch: {
          const { runId, batchIndex } = job.data as RunBatchJobData;
          return { evaluated: await engine.runBatch(runId, batchIndex) };
        }
        default:
          throw new Error(`Unknown compliance job ${job.name}`);
      }
    }),
    {
      connection,
      prefix: `${config.REDIS_PREFIX}:bull`,
      concurrency: options.concurrency ?? config.COMPLIANCE_CONCURRENCY,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'compliance worker error'));
  worker.on('failed', (job, error) =>
    logger.warn(
      { err: error, jobId: job?.id, attempts: job?.attemptsMade },
      'compliance job failed',
    ),
  );
  return {
    worker,
    queue,
    engine,
    documentEvents: new DocumentEventsJob(dataSource, engine, storage),
    stop: async () => {
      await worker.close();
      await queue.close();
      connection.disconnect();
      await dataSource.destroy();
    },
  };
}
