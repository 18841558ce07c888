import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from '../../../workers/queues';

/** Job names of the compliance queue (QueueName.Compliance). */
export const ComplianceJob = {
  /** From a job scheduler: one run per organization, and resuming unfinished runs. */
  ScheduleRuns: 'schedule-runs',
  /** Cut one run into batches and enqueue them. */
  PlanRun: 'plan-run',
  /** Evaluate one batch of a run. */
  RunBatch: 'run-batch',
} as const;

export interface ScheduleRunsJobData {
  scope: 'ALL' | 'EXPIRY';
  trigger: string;
}
export interface PlanRunJobData {
  runId: string;
}
export interface RunBatchJobData {
  runId: string;
  batchIndex: number;
}

export const COMPLIANCE_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60 },
} as const;

/**
 * The producer side of the compliance queue. Job ids are deterministic (a run's plan, a run's
 * batch), so adding the same work twice is one job while it is still known to BullMQ; the work
 * itself is idempotent for when it is not.
 */
export class ComplianceQueue {
  readonly queue: Queue;

  constructor(connection: Redis, redisPrefix: string) {
    this.queue = new Queue(QueueName.Compliance, {
      connection,
      prefix: `${redisPrefix}:bull`,
      defaultJobOptions: COMPLIANCE_JOB_OPTIONS,
    });
  }

  /** `attempt` distinguishes a deliberate re-plan (resuming a run) from a duplicate add. */
  async plan(runId: string, attempt = 'first'): Promise<void> {
    await this.queue.add(ComplianceJob.PlanRun, { runId } satisfies PlanRunJobData, {
      jobId: `plan-${runId}-${attempt}`,
    });
  }

  async batches(runId: string, batchIndexes: number[]): Promise<void> {
    await this.queue.addBulk(
      batchIndexes.map((batchIndex) => ({
        name: ComplianceJob.RunBatch,
        data: { runId, batchIndex } satisfies RunBatchJobData,
        opts: { ...COMPLIANCE_JOB_OPTIONS, jobId: `batch-${runId}-${batchIndex}` },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
