import type { Readable } from 'node:stream';

/**
 * Where document bytes live (ARCHITECTURE.md, Storage). `local` keeps files under the data
 * directory and the gateway serves short-lived signed URLs; `s3` uses presigned URLs of any
 * S3-compatible server. Drivers live in core/storage/<driver>/ and are chosen by STORAGE.
 */
export interface SignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObjectInfo {
  byteSize: number;
}

export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  /** A URL the client PUTs the bytes to, limited to `byteSize` and `contentType`. */
  signUpload(key: string, options: { contentType: string; byteSize: number; expiresInSeconds: number }): Promise<SignedRequest>;
  /** A URL that downloads the object, valid for `expiresInSeconds`. */
  signDownload(key: string, options: { filename: string; contentType: string; expiresInSeconds: number }): Promise<SignedRequest>;
  head(key: string): Promise<StoredObjectInfo | null>;
  /** The first `bytes` bytes (magic-byte checks). */
  readPrefix(key: string, bytes: number): Promise<Buffer>;
  read(key: string): Promise<Readable>;
  write(key: string, body: Buffer | string, contentType: string): Promise<void>;
  /** Idempotent: deleting a missing object succeeds. */
  delete(key: string): Promise<void>;
}
