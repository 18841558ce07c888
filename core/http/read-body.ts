import type { IncomingMessage } from 'node:http';

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads a request body, refusing it as soon as it passes `limit` bytes (the stream is then
 * destroyed, as leaving a `for await` loop does). Stream events rather than an async iterator:
 * this runs on every request of every role, and the iterator's promises and ticks cost more than
 * the read (measured on the gateway's cache-hit path, docs/decisions.md).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0)); // read already
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | null) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', settle);
      request.off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settle(new PayloadTooLargeError(limit));
      request.destroy();
    };
    const onEnd = () => settle(null);
    const onClose = () => settle(new Error('Request closed before its body ended'));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', settle);
    request.on('close', onClose);
  });
}
