import { UnrecoverableError, type Job } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { ClassificationResult, ExtractedFacts } from '../../../core/ai/ai-provider';
import { appendToOutbox } from '../../../core/events/outbox';
import { extractedKey } from '../../../core/storage/storage-key';
import { CategoryRecord } from '../entities/category.entity';
import { DocumentStatus } from '../entities/document-status';
import { DocumentRecord } from '../entities/document.entity';
import { PipelineStage } from '../entities/pipeline-stage';
import {
  documentFailed,
  documentProcessed,
  documentProcessing,
  DOCUMENTS_OUTBOX,
} from '../events/document-events';
import { DEFAULT_CATEGORIES } from '../services/category.repository';
import { fullText, type ExtractedText } from './extraction/extracted-text';
import { ExtractionError } from './extraction/extraction-error';
import { extractText } from './extraction/extract-text';
import type { PipelineContext } from './pipeline-context';
import { PipelineJob, STAGE_OF_JOB, type PipelineJobData } from './pipeline-jobs';

/** A job whose run is not the document's any more (reprocessed, deleted, failed): it stops. */
export const STALE = 'stale';

const IN_FLIGHT = new Set([DocumentStatus.QUEUED, DocumentStatus.PROCESSING]);

/** Progress when each stage finishes; the analysis stages add a share each. */
const PROGRESS_AFTER_EXTRACT = 0.4;
const PROGRESS_PER_ANALYSIS = 0.15;

async function lockRun(
  manager: EntityManager,
  data: PipelineJobData,
): Promise<DocumentRecord | null> {
  const row = await manager
    .getRepository(DocumentRecord)
    .createQueryBuilder('d')
    .where('d.id = :id AND d.organization_id = :org', {
      id: data.documentId,
      org: data.organizationId,
    })
    .setLock('pessimistic_write')
    .getOne();
  if (!row || row.processingRunId !== data.runId || !IN_FLIGHT.has(row.status)) return null;
  return row;
}

/** Marks the stage running (and the document PROCESSING, announced once); null when stale. */
async function begin(ctx: PipelineContext, job: Job<PipelineJobData>, name: PipelineJob) {
  return ctx.dataSource.transaction(async (manager) => {
    const row = await lockRun(manager, job.data);
    if (!row) return null;
    const first = row.status === DocumentStatus.QUEUED;
    row.status = DocumentStatus.PROCESSING;
    if (name === PipelineJob.Extract || name === PipelineJob.Finalize)
      row.processingStage = STAGE_OF_JOB[name];
    row.processingAttempts = Math.max(row.processingAttempts, job.attemptsMade + 1);
    row.processingStartedAt ??= new Date();
    await manager.getRepository(DocumentRecord).save(row);
    if (first) await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentProcessing(row));
    return row;
  });
}

async function recordTiming(
  ctx: PipelineContext,
  data: PipelineJobData,
  name: PipelineJob,
  ms: number,
  progress?: { set?: number; add?: number },
): Promise<void> {
  await ctx.dataSource.query(
    `UPDATE documents.documents
        SET processing_timings = processing_timings || jsonb_build_object($3::text, $4::int),
            processing_progress = LEAST(0.95, GREATEST(processing_progress, $5::real) + $6::real),
            updated_at = now()
      WHERE id = $1 AND processing_run_id = $2`,
    [data.documentId, data.runId, STAGE_OF_JOB[name], Math.round(ms), progress?.set ?? 0, progress?.add ?? 0],
  );
}

async function readExtracted(ctx: PipelineContext, data: PipelineJobData): Promise<ExtractedText> {
  const stream = await ctx.storage.read(extractedKey(data.organizationId, data.documentId));
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as ExtractedText;
}

async function readAll(ctx: PipelineContext, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await ctx.storage.read(key)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Extract: the stored bytes → pages of text in storage, the text and page count on the row; then the fan-out. */
async function extract(ctx: PipelineContext, job: Job<PipelineJobData>): Promise<unknown> {
  const row = await begin(ctx, job, PipelineJob.Extract);
  if (!row) return STALE;
  if (!row.storageKey) throw new UnrecoverableError('The document has no stored content');
  const started = Date.now();
  let extracted: ExtractedText;
  try {
    extracted = await extractText(
      row.id,
      row.contentType,
      await readAll(ctx, row.storageKey),
      ctx.limits,
    );
  } catch (error) {
    if (error instanceof ExtractionError) throw new UnrecoverableError(error.message);
    throw error;
  }
  const key = extractedKey(row.organizationId, row.id);
  await ctx.storage.write(key, JSON.stringify(extracted), 'application/json');
  await ctx.dataSource.query(
    `UPDATE documents.documents SET text = $3, page_count = $4, needs_ocr = $5, updated_at = now()
      WHERE id = $1 AND processing_run_id = $2`,
    [row.id, job.data.runId, fullText(extracted), extracted.pageCount, extracted.noTextLayer],
  );
  await recordTiming(ctx, job.data, PipelineJob.Extract, Date.now() - started, {
    set: PROGRESS_AFTER_EXTRACT,
  });
  await ctx.pipeline.addAnalysis({ ...job.data, extractedKey: key }, { index: ctx.index });
  return { pageCount: extracted.pageCount, characters: extracted.characters };
}

async function categoriesOf(ctx: PipelineContext, organizationId: string) {
  const rows = await ctx.dataSource
    .getRepository(CategoryRecord)
    .find({ where: { organizationId }, order: { position: 'ASC' } });
  return rows.length > 0
    ? rows.map((r) => ({ name: r.name, description: r.description }))
    : DEFAULT_CATEGORIES.map((name) => ({ name }));
}

/** One analysis stage: read the text from storage, ask the AI provider, return the result to finalize. */
async function analyse(
  ctx: PipelineContext,
  job: Job<PipelineJobData>,
  name: PipelineJob,
): Promise<unknown> {
  const row = await begin(ctx, job, name);
  if (!row) return STALE;
  const started = Date.now();
  const extracted = await readExtracted(ctx, job.data);
  const text = fullText(extracted);
  let result: unknown = null;
  try {
    if (text.length > 0) {
      if (name === PipelineJob.Classify)
        result = await ctx.ai.classify(text, await categoriesOf(ctx, row.organizationId));
      else if (name === PipelineJob.Summarize) result = await ctx.ai.summarize(text);
      else result = await ctx.ai.extractFacts(text);
    }
  } catch (error) {
    // The provider refused for good (bad request, schema mismatch): retrying cannot help.
    // Transient faults (429, 5xx, timeouts) are rethrown and retried with backoff.
    if ((error as { retryable?: boolean }).retryable === false)
      throw new UnrecoverableError(`The AI provider refused: ${(error as Error).message}`);
    throw error;
  }
  await recordTiming(ctx, job.data, name, Date.now() - started, { add: PROGRESS_PER_ANALYSIS });
  return { stage: name, result };
}

/** Finalize: every result saved together, status PROCESSED, `document.processed` in the same transaction. */
async function finalize(ctx: PipelineContext, job: Job<PipelineJobData>): Promise<unknown> {
  const started = Date.now();
  const values = Object.values(await job.getChildrenValues()) as {
    stage?: PipelineJob;
    result: unknown;
  }[];
  const of = (stage: PipelineJob) => values.find((v) => v?.stage === stage)?.result ?? null;
  const classification = of(PipelineJob.Classify) as ClassificationResult | null;
  const summary = of(PipelineJob.Summarize) as string | null;
  const facts = of(PipelineJob.ExtractFacts) as ExtractedFacts | null;
  const done = await ctx.dataSource.transaction(async (manager) => {
    const row = await lockRun(manager, job.data);
    if (!row) return null;
    const now = new Date();
    if (classification && !row.categoryOverridden) {
      row.category = classification.label;
      row.categoryConfidence = Math.min(1, Math.max(0, classification.confidence));
    }
    row.summary = summary;
    row.facts = facts as Record<string, unknown> | null;
    row.expiresOn = facts?.expiryDate ?? null;
    row.status = DocumentStatus.PROCESSED;
    row.processingStage = PipelineStage.FINALIZE;
    row.processingProgress = 1;
    row.processingError = null;
    row.processingFinishedAt = now;
    row.processedAt = now;
    row.processingTimings = {
      ...row.processingTimings,
      [PipelineStage.FINALIZE]: Date.now() - started,
    };
    await manager.getRepository(DocumentRecord).save(row);
    await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentProcessed(row));
    return row;
  });
  return done ? 'processed' : STALE;
}

export async function runStage(ctx: PipelineContext, job: Job<PipelineJobData>): Promise<unknown> {
  switch (job.name as PipelineJob) {
    case PipelineJob.Extract:
      return extract(ctx, job);
    case PipelineJob.Classify:
    case PipelineJob.Summarize:
    case PipelineJob.ExtractFacts:
      return analyse(ctx, job, job.name as PipelineJob);
    case PipelineJob.Finalize:
      return finalize(ctx, job);
    default:
      throw new UnrecoverableError(`Unknown pipeline job ${job.name}`);
  }
}

/**
 * A stage failed for good (an UnrecoverableError, or its last attempt): the document is FAILED
 * with the stage and the reason, announced by `document.failed`. Stale runs are left alone.
 */
export async function failDocument(
  ctx: PipelineContext,
  data: PipelineJobData,
  name: PipelineJob,
  reason: string,
): Promise<void> {
  await ctx.dataSource.transaction(async (manager) => {
    const row = await lockRun(manager, data);
    if (!row) return;
    row.status = DocumentStatus.FAILED;
    row.processingStage = STAGE_OF_JOB[name] ?? row.processingStage;
    row.processingError = reason;
    row.processingFinishedAt = new Date();
    await manager.getRepository(DocumentRecord).save(row);
    await appendToOutbox(manager, DOCUMENTS_OUTBOX, documentFailed(row));
  });
}
