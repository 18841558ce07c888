import type { Processor } from 'bullmq';

export interface ProcessorRegistration {
  queue: string;
  processor: Processor;
  concurrency: number;
}

/**
 * The processors the worker role runs, one entry per queue. The ingestion, compliance and
 * webhook issues register theirs here; until then the worker serves no queue.
 */
export const PROCESSORS: ProcessorRegistration[] = [];
