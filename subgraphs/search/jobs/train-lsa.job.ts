import { UnrecoverableError, type Job } from 'bullmq';
import type { TrainLsaResult, TrainLsaService } from '../semantic/train-lsa.service';

/** Job name on the search index queue (QueueName.SearchIndex). */
export const TRAIN_LSA_JOB = 'train-lsa';

export interface TrainLsaJobData {
  organizationId: string;
  /** The version this job was enqueued to build (its id): one job per version. */
  version: number;
}

export function trainLsaJobId(data: TrainLsaJobData): string {
  return `train-lsa_${data.organizationId}_v${data.version}`;
}

/** Trains, embeds with and switches to a new version of an organization's LSA model. */
export class TrainLsaJob {
  constructor(private readonly service: TrainLsaService) {}

  async handle(job: Pick<Job<TrainLsaJobData>, 'data'>): Promise<TrainLsaResult> {
    if (!job.data.organizationId) throw new UnrecoverableError('train-lsa needs organizationId');
    return this.service.execute(job.data.organizationId);
  }
}
