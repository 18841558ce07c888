import type { DocumentRecord } from '../entities/document.entity';
import type { Document } from './document.types';
import type { DocumentFacts } from './facts.types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (value: unknown): string | null =>
  typeof value === 'string' && ISO_DATE.test(value) ? value : null;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Stored facts (jsonb, written by the pipeline) in the API's shape; malformed parts are dropped. */
export function toFacts(facts: Record<string, unknown> | null): DocumentFacts | null {
  if (!facts) return null;
  const list = (value: unknown) => (Array.isArray(value) ? (value as Record<string, unknown>[]) : []);
  return {
    parties: strings(facts.parties),
    effectiveDate: date(facts.effectiveDate),
    expiryDate: date(facts.expiryDate),
    amounts: list(facts.amounts)
      .filter((m) => typeof m?.amount === 'number' && Number.isFinite(m.amount) && typeof m.currency === 'string')
      .map((m) => ({ amount: m.amount as number, currency: m.currency as string, text: String(m.text ?? '') })),
    dates: list(facts.dates)
      .filter((d) => date(d?.date) !== null)
      .map((d) => ({
        date: d.date as string,
        label: typeof d.label === 'string' ? d.label : null,
        text: String(d.text ?? ''),
      })),
    emails: strings(facts.emails),
    other: facts.other && typeof facts.other === 'object' ? (facts.other as Record<string, unknown>) : null,
  };
}

/** A stored document as the API shows it (the text is read on demand by its own field). */
export function toDocument(record: DocumentRecord): Document {
  const { processingStartedAt: startedAt, processingFinishedAt: finishedAt } = record;
  return {
    id: record.id,
    title: record.title,
    filename: record.filename,
    contentType: record.contentType,
    byteSize: record.byteSize,
    sha256: record.sha256,
    status: record.status,
    processing: {
      stage: record.processingStage,
      progress: record.processingProgress,
      attempts: record.processingAttempts,
      error: record.processingError,
      startedAt,
      finishedAt,
      durationMs: startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null,
    },
    classification:
      record.category === null
        ? null
        : { label: record.category, confidence: record.categoryConfidence ?? 1 },
    pageCount: record.pageCount,
    summary: record.summary,
    facts: toFacts(record.facts),
    needsOcr: record.needsOcr ?? false,
    tags: record.tags,
    uploadedBy: { id: record.uploadedById },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    processedAt: record.processedAt,
    organizationId: record.organizationId,
    storageKey: record.storageKey,
    duplicateOfId: record.duplicateOfId ?? null,
  };
}
