import { FlowProducer, Queue, type FlowJob, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from '../../../workers/queues';
import { PipelineStage } from '../entities/pipeline-stage';
import { jobTrace, type JobTrace } from '../../../core/observability/tracing';

/** The documents pipeline's queue (listed in workers/queues.ts). */
export const DOCUMENT_PIPELINE_QUEUE = QueueName.DocumentPipeline;

/**
 * Search's indexing queue and job (chunk + embed; search owns its index): QueueName.SearchIndex,
 * job `index-document`, data `{ organizationId, documentId, extractedKey, runId }`
 * (subgraphs/search/jobs/index-document.job.ts). Named here by value: a domain reaches another
 * only through the queue contract, not its code.
 */
export const SEARCH_INDEX_QUEUE = 'search-index';
export const INDEX_DOCUMENT_JOB = 'index-document';

/** The index child of a run's analysis flow. A failure there does not fail the document. */
export function indexChild(data: PipelineJobData, options: PipelineRetryOptions): FlowJob {
  return {
    name: INDEX_DOCUMENT_JOB,
    queueName: SEARCH_INDEX_QUEUE,
    data,
    opts: {
      ...jobOptions(options),
      jobId: `index_${data.documentId}_${data.runId}`,
      // Search's worker records its own failures; finalize goes on without chunks.
      ignoreDependencyOnFailure: true,
    },
  };
}

/** Job names of the pipeline, one per stage. */
export const PipelineJob = {
  Extract: 'extract',
  Classify: 'classify',
  Summarize: 'summarize',
  ExtractFacts: 'extract-facts',
  Finalize: 'finalize',
} as const;
export type PipelineJob = (typeof PipelineJob)[keyof typeof PipelineJob];

export const STAGE_OF_JOB: Record<PipelineJob, PipelineStage> = {
  extract: PipelineStage.EXTRACT,
  classify: PipelineStage.CLASSIFY,
  summarize: PipelineStage.SUMMARIZE,
  'extract-facts': PipelineStage.EXTRACT_FACTS,
  finalize: PipelineStage.FINALIZE,
};

/**
 * Every pipeline job carries only ids: the text travels through object storage. The request
 * that started the run (its id, its trace) rides along for logs and traces (JobTrace).
 */
export interface PipelineJobData extends JobTrace {
  documentId: string;
  organizationId: string;
  /** The run the job belongs to; a job whose run is no longer the document's stops at once. */
  runId: string;
  /** Where the extract stage stored the text (pages); set on the jobs after extraction. */
  extractedKey?: string;
}

/** Deterministic: adding a stage of a run twice is one job (BullMQ ignores the second add). */
export function pipelineJobId(data: PipelineJobData, job: PipelineJob): string {
  return `${data.documentId}_${data.runId}_${job}`;
}

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

export interface PipelineRetryOptions {
  attempts: number;
}

export function jobOptions(options: PipelineRetryOptions): JobsOptions {
  return {
    attempts: options.attempts,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 60 * 60 },
  };
}

/**
 * The fan-out after extraction, one BullMQ flow: classify, summarize and extract facts (and
 * search's index job, when given) run in parallel as children; finalize, the parent, runs when
 * all of them are done and saves their results together.
 */
export function analysisFlow(
  data: PipelineJobData,
  options: PipelineRetryOptions,
  extraChildren: FlowJob[] = [],
): FlowJob {
  const opts = jobOptions(options);
  const child = (name: PipelineJob): FlowJob => ({
    name,
    queueName: DOCUMENT_PIPELINE_QUEUE,
    data,
    opts: { ...opts, jobId: pipelineJobId(data, name), failParentOnFailure: true },
  });
  return {
    name: PipelineJob.Finalize,
    queueName: DOCUMENT_PIPELINE_QUEUE,
    data,
    opts: { ...opts, jobId: pipelineJobId(data, PipelineJob.Finalize) },
    children: [
      child(PipelineJob.Classify),
      child(PipelineJob.Summarize),
      child(PipelineJob.ExtractFacts),
      ...extraChildren,
    ],
  };
}

/** The producer side: what services and the recovery sweep use to start a run. */
export class PipelineQueue {
  readonly queue: Queue<PipelineJobData>;
  readonly flows: FlowProducer;

  constructor(
    connection: Redis,
    redisPrefix: string,
    private readonly options: PipelineRetryOptions,
  ) {
    this.queue = new Queue<PipelineJobData>(DOCUMENT_PIPELINE_QUEUE, {
      connection,
      prefix: bullPrefix(redisPrefix),
    });
    this.flows = new FlowProducer({ connection, prefix: bullPrefix(redisPrefix) });
  }

  /** Starts (or, with the same run, re-starts idempotently) a document's run at extraction. */
  async start(data: PipelineJobData): Promise<void> {
    await this.queue.add(
      PipelineJob.Extract,
      { ...jobTrace(), ...data },
      {
        ...jobOptions(this.options),
        jobId: pipelineJobId(data, PipelineJob.Extract),
      },
    );
  }

  async addAnalysis(data: PipelineJobData, options: { index: boolean }): Promise<void> {
    const children = options.index ? [indexChild(data, this.options)] : [];
    await this.flows.add(analysisFlow(data, this.options, children));
  }

  /** Removes the waiting or delayed jobs of a run (deleteDocument); running ones stop on their own. */
  async removeRun(data: PipelineJobData): Promise<void> {
    for (const name of Object.values(PipelineJob)) {
      const job = await this.queue.getJob(pipelineJobId(data, name));
      if (!job) continue;
      const state = await job.getState();
      if (state !== 'active') await job.remove({ removeChildren: true }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.flows.close();
  }
}
