import { Queue, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, Histogram } from 'prom-client';
import type { Logger } from '../logging/logger';
import { registry } from './metrics';
import { recordJobSpan, type JobTrace } from './tracing';

/** Jobs last from milliseconds (an event fan-out) to minutes (a large PDF's extraction). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export const jobDuration = new Histogram({
  name: 'worker_job_duration_seconds',
  help: 'Time a worker spent on a job attempt (processedOn to finishedOn), by queue, job name and outcome',
  labelNames: ['queue', 'job', 'outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [registry],
});

const STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
] as const;

/** Queues whose depth this process reports; filled by `reportQueueDepth`. */
const depthQueues = new Map<string, Queue>();

// Read on scrape, not polled: the numbers are as fresh as the scrape, and an idle process asks
// Redis nothing. One failing queue (Redis away) leaves its series out rather than failing /metrics.
new Gauge({
  name: 'worker_queue_jobs',
  help: 'Jobs in each BullMQ queue by state, read from Redis when scraped',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    await Promise.all(
      [...depthQueues.values()].map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES).catch(() => null);
        if (!counts) return;
        for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }),
    );
  },
});

/** Job names are set by our code (stages, event types); anything else is folded into "other". */
function jobLabel(name: string): string {
  return /^[\w.:-]{1,64}$/.test(name) ? name : 'other';
}

function record(
  queue: string,
  job: Job | undefined,
  outcome: 'completed' | 'failed',
  logger?: Logger,
): void {
  if (!job?.processedOn || !job.finishedOn) return;
  const ms = Math.max(0, job.finishedOn - job.processedOn);
  jobDuration.observe({ queue, job: jobLabel(job.name), outcome }, ms / 1000);
  recordJobSpan(job);
  // The request that started the work (core/observability/tracing.ts jobTrace), in the logs.
  const requestId = (job.data as JobTrace | null)?.requestId;
  const fields = { queue, job: job.name, jobId: job.id, requestId, ms };
  if (outcome === 'failed') logger?.warn({ ...fields, reason: job.failedReason }, 'job failed');
  else logger?.debug(fields, 'job completed');
}

/**
 * Every job attempt a BullMQ Worker finishes: timed into `worker_job_duration_seconds`, a span
 * of the enqueuing request's trace when tracing is on, and logged with that request's id.
 */
export function observeWorker(worker: Worker, logger?: Logger): void {
  worker.on('completed', (job) => record(worker.name, job, 'completed', logger));
  worker.on('failed', (job) => record(worker.name, job, 'failed', logger));
}

/** Reports the depth of these queues in `worker_queue_jobs`; returns a closer for the queues. */
export function reportQueueDepth(
  names: readonly string[],
  connection: Redis,
  prefix: string,
): () => Promise<void> {
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) depthQueues.set(queue.name, queue);
  return async () => {
    for (const queue of queues)
      if (depthQueues.get(queue.name) === queue) depthQueues.delete(queue.name);
    await Promise.all(queues.map((queue) => queue.close()));
  };
}
