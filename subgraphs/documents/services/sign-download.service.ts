import type { Principal } from '../../../core/auth/principal';
import { canSee } from '../policies/document.policy';
import type { Ingestion } from './ingestion';

export interface DownloadableDocument {
  id: string;
  organizationId: string;
  uploadedById: string;
  storageKey: string | null;
  filename: string;
  contentType: string;
}

/** A short-lived signed URL of a document's original, for a caller who may see the document. */
export class SignDownloadService {
  constructor(private readonly ingestion: Ingestion) {}

  async execute(principal: Principal, document: DownloadableDocument): Promise<string | null> {
    if (!canSee(principal, document) || !document.storageKey) return null;
    const signed = await this.ingestion.storage.signDownload(document.storageKey, {
      filename: document.filename,
      contentType: document.contentType,
      expiresInSeconds: this.ingestion.downloadUrlTtlSeconds,
    });
    return signed.url;
  }
}
