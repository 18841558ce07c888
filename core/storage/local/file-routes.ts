import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { RouteHandler } from '../../http/role-server';
import type { LocalObjectStorage } from './local-object-storage';

function fail(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}

function params(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://localhost').searchParams;
}

function expired(expires: number): boolean {
  return !Number.isSafeInteger(expires) || expires * 1000 < Date.now();
}

/** One upload's byte counter: fails the stream as soon as more than `limit` bytes arrive. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(new PayloadTooLarge(this.limit));
    else done(null, chunk);
  }
}
class PayloadTooLarge extends Error {
  constructor(limit: number) {
    super(`The body is larger than the ${limit} bytes this URL allows`);
  }
}

/**
 * The gateway's `/files/upload` (PUT) and `/files/download` (GET) routes for local storage. Each
 * request must carry a valid, unexpired signature over the exact key and its limits: an upload
 * may not exceed the declared size (checked while streaming) and must send the declared content
 * type; the key is validated and resolved inside the storage root, so no path can escape it.
 */
export function localFileRoutes(storage: LocalObjectStorage): Record<string, RouteHandler> {
  const upload: RouteHandler = async (request, response) => {
    if (request.method !== 'PUT') return fail(response, 405, 'Use PUT');
    const query = params(request);
    const grant = {
      method: 'PUT' as const,
      key: query.get('key') ?? '',
      expires: Number(query.get('expires')),
      size: Number(query.get('size')),
      type: query.get('type') ?? '',
    };
    if (!storage.signer.verify(grant, query.get('signature') ?? ''))
      return fail(response, 403, 'Invalid signature');
    if (expired(grant.expires)) return fail(response, 403, 'This upload URL has expired');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== grant.type.toLowerCase())
      return fail(response, 400, `Content-Type must be ${grant.type}`);
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > grant.size)
      return fail(response, 413, `The body is larger than the ${grant.size} bytes this URL allows`);
    let path: string;
    try {
      path = storage.pathOf(grant.key);
    } catch {
      return fail(response, 400, 'Invalid key');
    }
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(request, new ByteLimit(grant.size), createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      if (error instanceof PayloadTooLarge) return fail(response, 413, error.message);
      return fail(response, 400, 'The upload was interrupted');
    }
    response.writeHead(200, { 'content-length': 0 });
    response.end();
  };

  const download: RouteHandler = async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(response, 405, 'Use GET');
    const query = params(request);
    const grant = {
      method: 'GET' as const,
      key: query.get('key') ?? '',
      expires: Number(query.get('expires')),
      filename: query.get('filename') ?? '',
      type: query.get('type') ?? '',
    };
    if (!storage.signer.verify(grant, query.get('signature') ?? ''))
      return fail(response, 403, 'Invalid signature');
    if (expired(grant.expires)) return fail(response, 403, 'This download URL has expired');
    let path: string;
    try {
      path = storage.pathOf(grant.key);
    } catch {
      return fail(response, 400, 'Invalid key');
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return fail(response, 404, 'No such object');
    response.writeHead(200, {
      'content-type': grant.type,
      'content-length': info.size,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(grant.filename)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    if (request.method === 'HEAD') return void response.end();
    await pipeline(createReadStream(path), response);
  };

  return { '/files/upload': upload, '/files/download': download };
}
