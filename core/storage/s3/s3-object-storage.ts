import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type { ObjectStorage, SignedRequest, StoredObjectInfo } from '../object-storage';
import { assertValidKey } from '../storage-key';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** Any S3-compatible server: presigned PUT and GET, reads and writes with the SDK. */
export class S3ObjectStorage implements ObjectStorage {
  readonly driver = 's3' as const;
  readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle,
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.accessKeyId && options.secretAccessKey)
      config.credentials = {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
      };
    this.client = new S3Client(config);
  }

  async signUpload(
    key: string,
    options: { contentType: string; byteSize: number; expiresInSeconds: number },
  ): Promise<SignedRequest> {
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: assertValidKey(key),
      ContentType: options.contentType,
      ContentLength: options.byteSize,
    });
    // Content type and length are signed: S3 refuses a PUT that sends others.
    const url = await getSignedUrl(this.client, command, {
      expiresIn: options.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': options.contentType },
      expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000),
    };
  }

  async signDownload(
    key: string,
    options: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<SignedRequest> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: assertValidKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(options.filename)}`,
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
    return {
      url,
      method: 'GET',
      headers: {},
      expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000),
    };
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const answer = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: assertValidKey(key) }),
      );
      return { byteSize: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async readPrefix(key: string, bytes: number): Promise<Buffer> {
    const answer = await this.client.send(
      new GetObjectCommand({
        Bucket: this.options.bucket,
        Key: assertValidKey(key),
        Range: `bytes=0-${bytes - 1}`,
      }),
    );
    const body = Buffer.from(await answer.Body!.transformToByteArray());
    return body.subarray(0, bytes);
  }

  async read(key: string): Promise<Readable> {
    const answer = await this.client.send(
      new GetObjectCommand({ Bucket: this.options.bucket, Key: assertValidKey(key) }),
    );
    return answer.Body as Readable;
  }

  async write(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: assertValidKey(key),
        Body: body,
        ContentType: contentType,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.options.bucket, Key: assertValidKey(key) }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
