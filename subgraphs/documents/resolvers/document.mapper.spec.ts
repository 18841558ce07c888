import { DocumentStatus } from '../entities/document-status';
import type { DocumentRecord } from '../entities/document.entity';
import { PipelineStage } from '../entities/pipeline-stage';
import { toDocument } from './document.mapper';

const base = {
  id: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  uploadedById: '00000000-0000-4000-8000-000000000003',
  title: 'Lease',
  filename: 'Lease.txt',
  contentType: 'text/plain',
  byteSize: 5,
  sha256: 'a'.repeat(64),
  status: DocumentStatus.QUEUED,
  processingStage: null,
  processingProgress: 0,
  processingAttempts: 0,
  processingError: null,
  processingStartedAt: null,
  processingFinishedAt: null,
  category: null,
  categoryConfidence: null,
  categoryOverridden: false,
  tags: ['a'],
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-01-01T00:00:00.000Z'),
  processedAt: null,
} as unknown as DocumentRecord;

describe('toDocument', () => {
  it('shows a queued document: no classification, no duration, the uploader as a User reference', () => {
    const document = toDocument(base);
    expect(document.classification).toBeNull();
    expect(document.processing).toEqual({
      stage: null,
      progress: 0,
      attempts: 0,
      error: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    });
    expect(document.uploadedBy).toEqual({ id: base.uploadedById });
    expect(document).not.toHaveProperty('text');
  });

  it('derives the duration and shows the category as the classification', () => {
    const document = toDocument({
      ...base,
      status: DocumentStatus.FAILED,
      processingStage: PipelineStage.EXTRACT,
      processingError: 'bad bytes',
      processingStartedAt: new Date('2026-01-01T00:00:01.000Z'),
      processingFinishedAt: new Date('2026-01-01T00:00:03.250Z'),
      category: 'contract',
      categoryConfidence: 0.8,
    } as DocumentRecord);
    expect(document.processing).toMatchObject({
      stage: 'EXTRACT',
      error: 'bad bytes',
      durationMs: 2250,
    });
    expect(document.classification).toEqual({ label: 'contract', confidence: 0.8 });
  });
});
