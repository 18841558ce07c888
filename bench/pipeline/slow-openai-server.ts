import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking enough of the OpenAI wire protocol for the pipeline's calls
 * (chat completions, with or without a JSON schema response format, and embeddings), answering
 * each call after `delayMs`, the way a slow hosted model does. Structured outputs are filled with
 * the smallest value the request's own JSON schema allows (first enum value, empty lists, nulls
 * where allowed), so it serves whatever schemas the provider sends.
 */
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  minimum?: number;
};

export function sampleOf(schema: Schema | undefined): unknown {
  if (!schema) return null;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length)
    return sampleOf(schema.anyOf.find((s) => s.type === 'null') ?? schema.anyOf[0]);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sampleOf(value)]),
      );
    case 'array':
      return [];
    case 'string':
      return 'sample';
    case 'number':
      return 0.5;
    case 'integer':
      return 1;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

export async function startSlowOpenAiServer(
  delayMs: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString() || '{}') as Record<string, unknown>;
      setTimeout(() => {
        let answer: unknown;
        if (request.url?.endsWith('/embeddings')) {
          const inputs = Array.isArray(body.input) ? body.input : [body.input];
          const dimensions = Number(body.dimensions ?? 256);
          const vector = new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
          answer = {
            object: 'list',
            model: body.model,
            data: inputs.map((_, index) => ({
              object: 'embedding',
              index,
              embedding:
                body.encoding_format === 'base64'
                  ? Buffer.from(vector.buffer).toString('base64')
                  : Array.from(vector),
            })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          };
        } else {
          const format = body.response_format as
            { type?: string; json_schema?: { schema?: Schema } } | undefined;
          const content =
            format?.type === 'json_schema'
              ? JSON.stringify(sampleOf(format.json_schema?.schema))
              : format?.type === 'json_object'
                ? '{}'
                : 'A summary of the document.';
          answer = {
            id: 'chatcmpl-bench',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: { role: 'assistant', content, refusal: null },
              },
            ],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          };
        }
        const payload = JSON.stringify(answer);
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        });
        response.end(payload);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
