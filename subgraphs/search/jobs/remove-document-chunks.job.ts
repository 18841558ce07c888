import { UnrecoverableError, type Job } from 'bullmq';
import type { RemoveDocumentChunksService } from '../services/remove-document-chunks.service';

/** Job name on the search index queue (QueueName.SearchIndex); enqueued on `document.deleted`. */
export const REMOVE_DOCUMENT_CHUNKS_JOB = 'remove-document-chunks';

export interface RemoveDocumentChunksJobData {
  organizationId: string;
  documentId: string;
}

export function removeDocumentChunksJobId(
  data: Pick<RemoveDocumentChunksJobData, 'documentId'>,
): string {
  return `remove_${data.documentId}`;
}

export class RemoveDocumentChunksJob {
  constructor(private readonly service: RemoveDocumentChunksService) {}

  async handle(job: Pick<Job<RemoveDocumentChunksJobData>, 'data'>): Promise<{ removed: number }> {
    const { organizationId, documentId } = job.data;
    if (!organizationId || !documentId)
      throw new UnrecoverableError('remove-document-chunks needs organizationId and documentId');
    return this.service.execute({ organizationId, documentId });
  }
}
