import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../../core/auth/principal';
import { BadUserInputError } from '../../../core/errors';
import type { SignedRequest } from '../../../core/storage';
import { originalKey } from '../../../core/storage/storage-key';
import { DocumentOrigin } from '../entities/document-origin';
import { DocumentStatus } from '../entities/document-status';
import { DocumentRecord } from '../entities/document.entity';
import { authorize, DocumentAction } from '../policies/document.policy';
import type { Ingestion } from './ingestion';
import { normalizeTags, normalizeTitle } from './normalize-document-input';
import { normalizeUploadType, UPLOAD_CONTENT_TYPES, UPLOAD_FILENAME_MAX } from './upload-limits';

export interface CreateUploadCommand {
  filename: string;
  contentType: string;
  byteSize: number;
  title?: string | null;
  tags?: string[] | null;
}

export interface UploadTicketResult {
  document: DocumentRecord;
  upload: SignedRequest;
}

/**
 * Step one of an upload: a document AWAITING_UPLOAD and a short-lived URL the client PUTs the
 * bytes to (limited to the declared size and type). completeUpload checks what arrived.
 */
export class CreateUploadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestion: Ingestion,
  ) {}

  async execute(principal: Principal, input: CreateUploadCommand): Promise<UploadTicketResult> {
    authorize(principal, DocumentAction.Create);
    const filename = input.filename.trim().replace(/[\\/]/g, '_');
    if (filename.length < 1 || filename.length > UPLOAD_FILENAME_MAX)
      throw new BadUserInputError(`filename must be 1 to ${UPLOAD_FILENAME_MAX} characters`, 'filename');
    const contentType = normalizeUploadType(input.contentType);
    if (!Object.hasOwn(UPLOAD_CONTENT_TYPES, contentType))
      throw new BadUserInputError(
        `contentType ${input.contentType} is not accepted; accepted are ${Object.keys(UPLOAD_CONTENT_TYPES).join(', ')}`,
        'contentType',
      );
    const max = this.ingestion.maxUploadBytes;
    if (!Number.isInteger(input.byteSize) || input.byteSize < 1 || input.byteSize > max)
      throw new BadUserInputError(`byteSize must be 1 to ${max} bytes`, 'byteSize');
    const title = normalizeTitle(input.title ?? (filename.replace(/\.[A-Za-z0-9]{1,8}$/, '') || filename));
    const tags = normalizeTags(input.tags ?? []);

    const id = randomUUID();
    const storageKey = originalKey(principal.organizationId, id);
    const upload = await this.ingestion.storage.signUpload(storageKey, {
      contentType,
      byteSize: input.byteSize,
      expiresInSeconds: this.ingestion.uploadUrlTtlSeconds,
    });
    const documents = this.dataSource.getRepository(DocumentRecord);
    const document = await documents.save(
      documents.create({
        id,
        organizationId: principal.organizationId,
        uploadedById: principal.userId,
        origin: DocumentOrigin.UPLOAD,
        title,
        filename,
        contentType,
        byteSize: input.byteSize,
        sha256: null,
        storageKey,
        text: null,
        status: DocumentStatus.AWAITING_UPLOAD,
        processingStage: null,
        processingProgress: 0,
        processingAttempts: 0,
        processingError: null,
        category: null,
        categoryConfidence: null,
        categoryOverridden: false,
        tags,
        uploadExpiresAt: upload.expiresAt,
      }),
    );
    return { document, upload };
  }
}
