import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// s3rver ships no types; the test only needs its constructor, run() and close().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
};
import { S3ObjectStorage } from './s3-object-storage';

/** The s3 driver against a real S3-compatible server (s3rver) started on a free port. */
let server: InstanceType<typeof S3rver>;
let directory: string;
let storage: S3ObjectStorage;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'docent-s3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'docent-test' }],
  });
  const { port } = await server.run();
  storage = new S3ObjectStorage({
    bucket: 'docent-test',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  });
});

afterAll(async () => {
  storage?.client.destroy();
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('S3ObjectStorage', () => {
  it('takes a presigned PUT, then heads, reads, signs a download and deletes', async () => {
    const key = 'originals/org/doc-1';
    const body = Buffer.from('%PDF-1.4 hello from a presigned upload');
    const upload = await storage.signUpload(key, {
      contentType: 'application/pdf',
      byteSize: body.length,
      expiresInSeconds: 60,
    });
    expect(upload.method).toBe('PUT');
    expect(upload.url).toContain('/docent-test/originals/org/doc-1');
    expect(upload.url).toContain('X-Amz-Signature=');
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
    expect(put.status).toBe(200);

    expect(await storage.head(key)).toEqual({ byteSize: body.length });
    expect((await storage.readPrefix(key, 8)).toString()).toBe('%PDF-1.4');
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.read(key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);

    const download = await storage.signDownload(key, {
      filename: 'report.pdf',
      contentType: 'application/pdf',
      expiresInSeconds: 60,
    });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);

    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('writes objects itself (extracted text) and refuses keys that could escape', async () => {
    await storage.write('extracted/org/doc-2.json', JSON.stringify({ pages: [] }), 'application/json');
    expect(await storage.head('extracted/org/doc-2.json')).toEqual({ byteSize: 12 });
    await expect(storage.head('../etc/passwd')).rejects.toThrow(/Invalid storage key/);
  });

  it('signs the content type and length into the upload URL', async () => {
    const upload = await storage.signUpload('originals/org/doc-3', {
      contentType: 'text/plain',
      byteSize: 3,
      expiresInSeconds: 60,
    });
    const signed = new URL(upload.url).searchParams.get('X-Amz-SignedHeaders') ?? '';
    expect(signed.split(';')).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host']));
    expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe('60');
  });
});
