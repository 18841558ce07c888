import { UnrecoverableError, type Job } from 'bullmq';
import { isRetryableAiError, AiProviderError } from '../../../core/ai/errors';
import type { ObjectStorage } from '../../../core/storage/object-storage';
import type { PageText } from '../services/chunk-pages';
import type { IndexDocumentResult, IndexDocumentService } from '../services/index-document.service';

/** Job name on the search index queue (QueueName.SearchIndex). */
export const INDEX_DOCUMENT_JOB = 'index-document';

/**
 * What the documents pipeline sends (a child of its analysis flow): ids and the storage key of
 * the extracted text, a JSON `{ pages: [{ page, text }] }` (subgraphs/documents/jobs/extraction).
 * The same fields as the pipeline's own job data, so its job data can be passed as it is.
 */
export interface IndexDocumentJobData {
  organizationId: string;
  documentId: string;
  /** Storage key of the extracted pages. */
  extractedKey: string;
  /** The pipeline run, for logs. */
  runId?: string;
  /** ISO 639-1 code or text-search configuration; detected from the text when absent. */
  language?: string | null;
}

/** Deterministic job id: adding the index job of one run twice is one job. */
export function indexDocumentJobId(
  data: Pick<IndexDocumentJobData, 'documentId' | 'runId'>,
): string {
  return `index_${data.documentId}_${data.runId ?? 'manual'}`;
}

/** Reads the extracted pages from storage and indexes them. */
export class IndexDocumentJob {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly service: IndexDocumentService,
  ) {}

  async handle(job: Pick<Job<IndexDocumentJobData>, 'data'>): Promise<IndexDocumentResult> {
    const { organizationId, documentId, extractedKey, language } = job.data;
    if (!organizationId || !documentId || !extractedKey)
      throw new UnrecoverableError(
        'index-document needs organizationId, documentId and extractedKey',
      );
    const pages = await this.readPages(extractedKey);
    try {
      return await this.service.execute({ organizationId, documentId, pages, language });
    } catch (error) {
      // A provider that refuses (4xx other than 429) will refuse again: do not retry.
      if (error instanceof AiProviderError && !isRetryableAiError(error))
        throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  private async readPages(key: string): Promise<PageText[]> {
    if ((await this.storage.head(key)) === null)
      throw new UnrecoverableError(`The extracted text ${key} is not in storage`);
    const parts: Buffer[] = [];
    for await (const part of await this.storage.read(key)) parts.push(Buffer.from(part as Buffer));
    const parsed = JSON.parse(Buffer.concat(parts).toString('utf8')) as { pages?: unknown };
    if (!Array.isArray(parsed.pages)) throw new UnrecoverableError(`${key} has no pages`);
    return parsed.pages
      .filter(
        (p): p is PageText =>
          typeof p === 'object' &&
          p !== null &&
          typeof p.page === 'number' &&
          typeof p.text === 'string',
      )
      .map(({ page, text }) => ({ page, text }));
  }
}
