/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are read as loose JSON */
import {
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from '../../../test/support/fake-openai-server';
import { AiRejectedError, AiUnavailableError, isRetryableAiError } from '../errors';
import { INVOICE, LEASE, SERVICES_AGREEMENT } from '../local/fixtures/samples';
import { OpenAiProvider } from './openai-ai-provider';

let server: FakeOpenAiServer;

function provider(
  overrides: Partial<ConstructorParameters<typeof OpenAiProvider>[0]> = {},
): OpenAiProvider {
  return new OpenAiProvider({
    apiKey: 'sk-test',
    baseURL: server.baseURL,
    chatModel: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
    dimensions: 256,
    timeoutMs: 5_000,
    ...overrides,
  });
}

beforeEach(async () => {
  server = await startFakeOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

describe('openai provider (real SDK against a local OpenAI-protocol server)', () => {
  it('embeds in batches with dimensions = EMBEDDING_DIM and keeps the input order', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `chunk number ${i} about leases`);
    const vectors = await provider().embed(texts);
    expect(vectors).toHaveLength(300);
    expect(vectors.every((v) => v.length === 256)).toBe(true);
    const calls = server.requests.filter((r) => r.path === '/embeddings');
    expect(calls.map((c) => (c.body?.input as string[]).length)).toEqual([256, 44]);
    expect(calls[0].body).toMatchObject({
      model: 'text-embedding-3-small',
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(calls[0].authorization).toBe('Bearer sk-test');
    const again = await provider().embed([texts[299]]);
    expect(again[0]).toEqual(vectors[299]);
    expect(provider().embeddingModel).toBe('openai:text-embedding-3-small');
  });

  it('rejects vectors of the wrong dimension (a server that ignores "dimensions")', async () => {
    await server.close();
    server = await startFakeOpenAiServer({ fixedEmbeddingDimensions: 768 });
    const error = await provider()
      .embed(['x'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiRejectedError);
    expect((error as Error).message).toMatch(/expected 1 vectors of 256 dimensions, got 1 of 768/);
  });

  it('classifies with a strict JSON schema whose enum is the organization categories', async () => {
    const categories = [
      { name: 'contract', description: 'agreements' },
      { name: 'invoice' },
      { name: 'other' },
    ];
    const result = await provider().classify(INVOICE, categories);
    expect(result.label).toBe('invoice');
    expect(result.confidence).toBeGreaterThan(0.5);
    const body = server.requests.at(-1)?.body as Record<string, any>;
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'classification', strict: true },
    });
    expect(body.response_format.json_schema.schema.properties.label.enum).toEqual([
      'contract',
      'invoice',
      'other',
    ]);
    expect(body.messages[0].content).toContain('- contract: agreements');
  });

  it('extracts facts through structured outputs and validates them', async () => {
    const facts = await provider().extractFacts(SERVICES_AGREEMENT);
    expect(facts.parties).toEqual(['Northwind Traders Inc.', 'Contoso Consulting LLC']);
    expect(facts.effectiveDate).toBe('2025-03-01');
    expect(facts.amounts[0]).toEqual({ amount: 120000, currency: 'USD', text: 'USD 120,000.00' });
    const body = server.requests.at(-1)?.body as Record<string, any>;
    expect(body.response_format.json_schema.name).toBe('facts');
    expect(body.response_format.json_schema.schema.required).toContain('expiryDate');
  });

  it('treats an answer that does not fit the schema as permanent', async () => {
    await server.close();
    server = await startFakeOpenAiServer({ respond: () => '{"label": 42}' });
    const error = await provider()
      .classify('text', [{ name: 'other' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiRejectedError);
    await server.close();
    server = await startFakeOpenAiServer({
      respond: () => JSON.stringify({ label: 'poetry', confidence: 0.9 }),
    });
    await expect(provider().classify('text', [{ name: 'other' }])).rejects.toThrow(
      /unknown label "poetry"/,
    );
  });

  it('summarizes with a plain chat completion', async () => {
    const summary = await provider().summarize(LEASE);
    expect(summary).toMatch(/Harbourside Properties Limited/);
    expect(server.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0 });
  });

  it('streams the answer as deltas over server-sent events', async () => {
    const deltas: string[] = [];
    for await (const delta of provider().answer('What is the annual rent?', [
      { id: 'a', text: LEASE },
      { id: 'b', text: INVOICE },
    ]))
      deltas.push(delta.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('The annual rent is £48,000, payable quarterly in advance. [1]');
    const body = server.requests.at(-1)?.body as Record<string, any>;
    expect(body.stream).toBe(true);
    expect(body.messages[1].content).toMatch(/^Context:\n\[1\] COMMERCIAL LEASE/);
  });

  it('surfaces 429 and 5xx as retryable errors, without retrying inside the SDK', async () => {
    server.failNext(429);
    const limited = await provider()
      .summarize('text')
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AiUnavailableError);
    expect(limited).toMatchObject({ status: 429, retryAfterSeconds: 1, retryable: true });
    server.failNext(500);
    const failed = await provider()
      .embed(['x'])
      .catch((e: unknown) => e);
    expect(isRetryableAiError(failed)).toBe(true);
    expect(failed).toMatchObject({ status: 500 });
    server.failNext(503);
    const streamed = (async () => {
      for await (const _ of provider().answer('q', [{ id: 'a', text: 'x' }])) void _;
    })();
    await expect(streamed).rejects.toBeInstanceOf(AiUnavailableError);
    // maxRetries 0: each failure cost one request, and the server answers again afterwards.
    expect(server.requests).toHaveLength(3);
    await expect(provider().summarize('Payment received, thank you.')).resolves.toBeTruthy();
  });

  it('surfaces other 4xx as permanent errors', async () => {
    server.failNext(401, 1, 'Incorrect API key provided');
    const error = await provider()
      .summarize('text')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiRejectedError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(isRetryableAiError(error)).toBe(false);
  });

  it('surfaces timeouts and refused connections as retryable', async () => {
    server.setDelay(500);
    const slow = await provider({ timeoutMs: 100 })
      .summarize('text')
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(AiUnavailableError);
    const closed = server.baseURL;
    await server.close();
    const refused = await provider({ baseURL: closed })
      .summarize('text')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AiUnavailableError);
    server = await startFakeOpenAiServer();
  });
});
