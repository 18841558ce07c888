import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashedEmbedding } from '../../core/ai/local/hashed-embedding';
import { LocalAiProvider } from '../../core/ai/local/local-ai-provider';

/**
 * A local HTTP server that speaks the OpenAI wire protocol, for tests and benchmarks that run the
 * real `openai` SDK with no network: `POST /v1/chat/completions` (JSON, structured outputs and
 * streamed server-sent events), `POST /v1/embeddings` (float and base64), `GET /v1/models`.
 *
 * By default it answers with the local provider's own results, so answers are realistic and
 * deterministic: structured outputs named `classification` get the local classification among
 * the schema's labels, `facts` the local facts, a system prompt that asks for a summary the local
 * summary, anything else the local extractive answer of the user message. `respond` overrides it.
 * `delayMs` delays every answer (the pipeline bench wants 3 s); `failNext` injects HTTP errors.
 *
 *   const server = await startFakeOpenAiServer({ delayMs: 3000 });
 *   new OpenAI({ apiKey: 'test', baseURL: server.baseURL });
 */
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> };
  };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | null;
}

export interface FakeOpenAiServerOptions {
  delayMs?: number;
  /** Content of the assistant's message; return a string (JSON for structured outputs). */
  respond?: (request: ChatRequest) => string | Promise<string>;
  /** Answer embeddings in this many dimensions whatever the request asks (like servers that ignore `dimensions`). */
  fixedEmbeddingDimensions?: number;
}

export interface FakeOpenAiServer {
  /** Pass as the SDK's `baseURL` (ends in /v1). */
  baseURL: string;
  requests: RecordedRequest[];
  /** Every following request waits this long before it is answered. */
  setDelay(ms: number): void;
  /** The next `times` requests fail with `status` (429 carries `Retry-After: 1`). */
  failNext(status: number, times?: number, message?: string): void;
  close(): Promise<void>;
}

const local = new LocalAiProvider(256);

async function defaultRespond(request: ChatRequest): Promise<string> {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const schema = request.response_format?.json_schema;
  if (schema?.name === 'classification') {
    const properties = schema.schema.properties as Record<string, { enum?: string[] }>;
    const names = properties.label?.enum ?? ['other'];
    return JSON.stringify(
      await local.classify(
        user,
        names.map((name) => ({ name })),
      ),
    );
  }
  if (schema?.name === 'facts') {
    const { other: _other, ...facts } = await local.extractFacts(user);
    return JSON.stringify(facts);
  }
  if (/summari[sz]e/i.test(system)) return local.summarize(user);
  const question = /Question:\s*([\s\S]*)$/.exec(user)?.[1] ?? user;
  const passages = [...user.matchAll(/\[(\d+)\] ([\s\S]*?)(?=\n\n\[\d+\] |\n\nQuestion:|$)/g)].map(
    (m) => ({ id: m[1], text: m[2] }),
  );
  let answer = '';
  for await (const delta of local.answer(question, passages))
    answer += delta.citation ? `${delta.text} [${delta.citation.id}]` : delta.text;
  return answer;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      try {
        resolve(raw ? (JSON.parse(raw) as Record<string, unknown>) : null);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAiServer(
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  let delayMs = options.delayMs ?? 0;
  const failures: Array<{ status: number; message: string }> = [];
  const requests: RecordedRequest[] = [];
  const respond = options.respond ?? defaultRespond;
  let sequence = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0].replace(/^\/v1/, '');
    const body = req.method === 'POST' ? await readJson(req) : null;
    requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
      body,
    });
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const failure = failures.shift();
    if (failure) {
      const type = failure.status === 429 ? 'rate_limit_exceeded' : 'server_error';
      sendJson(
        res,
        failure.status,
        { error: { message: failure.message, type, param: null, code: type } },
        failure.status === 429 ? { 'retry-after': '1' } : {},
      );
      return;
    }
    const created = Math.floor(Date.now() / 1000);
    if (req.method === 'GET' && path === '/models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'fake-chat', object: 'model', created, owned_by: 'fake' }],
      });
      return;
    }
    if (req.method === 'POST' && path === '/embeddings' && body) {
      const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      const dimensions =
        options.fixedEmbeddingDimensions ??
        (typeof body.dimensions === 'number' ? body.dimensions : 1536);
      const data = inputs.map((input, index) => {
        const vector = hashedEmbedding(input, dimensions);
        const embedding =
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      });
      const tokens = inputs.reduce((n, input) => n + Math.ceil(input.length / 4), 0);
      sendJson(res, 200, {
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
      return;
    }
    if (req.method === 'POST' && path === '/chat/completions' && body) {
      const request = body as unknown as ChatRequest;
      const content = await respond(request);
      const id = `chatcmpl-fake-${++sequence}`;
      if (!request.stream) {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: request.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: null },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const event = (delta: Record<string, unknown>, finish: string | null): void => {
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`,
        );
      };
      event({ role: 'assistant', content: '' }, null);
      for (const piece of content.match(/\S+\s*|\s+/g) ?? []) {
        event({ content: piece }, null);
        await new Promise((resolve) => setImmediate(resolve));
      }
      event({}, 'stop');
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(res, 404, {
      error: {
        message: `No route ${req.method} ${path}`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 400, {
          error: { message: String(error), type: 'invalid_request_error', param: null, code: null },
        });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setDelay: (ms) => {
      delayMs = ms;
    },
    failNext: (status, times = 1, message = `injected HTTP ${status}`) => {
      for (let i = 0; i < times; i++) failures.push({ status, message });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
