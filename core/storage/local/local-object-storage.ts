import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { ObjectStorage, SignedRequest, StoredObjectInfo } from '../object-storage';
import { assertValidKey } from '../storage-key';
import { UrlSigner } from './url-signer';

export interface LocalStorageOptions {
  /** Objects live under `<dataDir>/objects`. */
  dataDir: string;
  /** The gateway's public base URL: it serves `/files/upload` and `/files/download`. */
  publicUrl: string;
  signingSecret: string;
}

/** Files under the data directory; uploads and downloads through the gateway's signed URLs. */
export class LocalObjectStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  readonly root: string;
  readonly signer: UrlSigner;

  constructor(private readonly options: LocalStorageOptions) {
    this.root = resolve(options.dataDir, 'objects');
    this.signer = new UrlSigner(options.signingSecret);
  }

  /** The file of a key; throws for any key that would leave the root. */
  pathOf(key: string): string {
    const path = resolve(this.root, assertValidKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid storage key ${key}`);
    return path;
  }

  private url(path: string, params: URLSearchParams): string {
    const base = this.options.publicUrl.replace(/\/+$/, '');
    return `${base}${path}?${params.toString()}`;
  }

  async signUpload(
    key: string,
    options: { contentType: string; byteSize: number; expiresInSeconds: number },
  ): Promise<SignedRequest> {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const params = this.signer.query({
      method: 'PUT',
      key,
      expires,
      size: options.byteSize,
      type: options.contentType,
    });
    return {
      url: this.url('/files/upload', params),
      method: 'PUT',
      headers: { 'content-type': options.contentType },
      expiresAt: new Date(expires * 1000),
    };
  }

  async signDownload(
    key: string,
    options: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<SignedRequest> {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const params = this.signer.query({
      method: 'GET',
      key,
      expires,
      filename: options.filename,
      type: options.contentType,
    });
    return {
      url: this.url('/files/download', params),
      method: 'GET',
      headers: {},
      expiresAt: new Date(expires * 1000),
    };
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { byteSize: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async readPrefix(key: string, bytes: number): Promise<Buffer> {
    const handle = await open(this.pathOf(key), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async read(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path); // ENOENT now rather than on the stream
    return createReadStream(path);
  }

  async write(key: string, body: Buffer | string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
