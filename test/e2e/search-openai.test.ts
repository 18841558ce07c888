import { LocalAiProvider } from '../../core/ai/local/local-ai-provider';
import { registry } from '../../core/observability/metrics';
import { createTextDocument, signUpOwner, type Actor } from '../support/actors';
import {
  startFakeOpenAiServer,
  type ChatRequest,
  type FakeOpenAiServer,
} from '../support/fake-openai-server';
import { graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { subscribe, until } from '../support/subscriptions';

/**
 * ask and askStream with AI_PROVIDER=openai: the official SDK against the local fake server,
 * whose answers cite the numbered context with [n] markers, one of them pointing at nothing.
 * Documents are indexed with the local provider (the pipeline is not under test here).
 */
let platform: TestPlatform;
let fake: FakeOpenAiServer;
let owner: Actor;
const docs: Record<string, string> = {};

/** The numbered passages of the answer prompt, as the provider wrote them. */
function passages(request: ChatRequest): Map<number, string> {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  return new Map(
    [...user.matchAll(/\[(\d+)\] ([\s\S]*?)(?=\n\n\[\d+\] |\n\nQuestion:|$)/g)].map((m) => [
      Number(m[1]),
      m[2],
    ]),
  );
}

async function respond(request: ChatRequest): Promise<string> {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  if (/Question: .*zeppelin/.test(user)) return 'This was not found in the documents.';
  const rent = [...passages(request)].find(([, text]) => text.includes('monthly rent'));
  // A real citation, and one to a passage the context never had.
  return `The tenant pays a monthly rent of 4,000 EUR [${rent?.[0] ?? 1}]. Parking is included [9].`;
}

function droppedMarkers(): Promise<number> {
  return registry
    .getSingleMetric('search_answer_markers_dropped_total')!
    .get()
    .then((m) => m.values[0]?.value ?? 0);
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer({ respond });
  platform = await startTestPlatform(
    { AI_PROVIDER: 'openai', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL },
    { pipeline: { ai: new LocalAiProvider(256), index: true } },
  );
  owner = await signUpOwner(platform.url);
  docs.lease = await createTextDocument(
    platform.url,
    owner,
    'Lease',
    'Office lease. The tenant pays a monthly rent of 4,000 EUR on the first day of each month. Either party may terminate with three months notice.',
  );
  docs.recipe = await createTextDocument(
    platform.url,
    owner,
    'Recipe',
    'Bread recipe. Mix flour, water and yeast, and bake the dough for forty minutes.',
  );
  for (const id of Object.values(docs))
    await until(
      async () =>
        (
          await graphql<{ document: { chunkCount: number } }>(
            platform.url,
            'query ($id: ID!) { document(id: $id) { chunkCount } }',
            { id },
            owner.accessToken,
          )
        ).data?.document.chunkCount === 1,
      60_000,
      'indexed',
    );
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await fake?.close();
});

const ANSWER = 'answer grounded citations { quote document { id title } chunk { id text } }';

interface AnswerShape {
  answer: string;
  grounded: boolean;
  citations: Array<{
    quote: string;
    document: { id: string; title: string };
    chunk: { text: string };
  }>;
}

it('maps [n] markers back to the retrieved chunks and drops, logs and counts those pointing at nothing', async () => {
  const before = await droppedMarkers();
  const response = await graphql<{ ask: AnswerShape }>(
    platform.url,
    `query { ask(question: "What is the monthly rent?", topK: 2) { ${ANSWER} } }`,
    {},
    owner.accessToken,
  );
  expect(response.errors).toBeUndefined();
  const answer = response.data!.ask;
  expect(answer.grounded).toBe(true);
  expect(answer.citations).toHaveLength(1);
  expect(answer.citations[0].document).toEqual({ id: docs.lease, title: 'Lease' });
  expect(answer.citations[0].chunk.text).toContain(answer.citations[0].quote);
  expect(answer.citations[0].quote).toMatch(/monthly rent of 4,000 EUR/);
  // Renumbered to the citations' order; the dangling marker is gone.
  expect(answer.answer).toBe(
    'The tenant pays a monthly rent of 4,000 EUR [1]. Parking is included.',
  );
  expect((await droppedMarkers()) - before).toBe(1);
  // The SDK was called with the numbered context and asked to stream.
  const chat = fake.requests.filter((r) => r.path === '/chat/completions').at(-1)!;
  expect(chat.authorization).toBe('Bearer test-key');
  expect(chat.body?.stream).toBe(true);
});

it('is not grounded when the model cites nothing', async () => {
  const response = await graphql<{ ask: AnswerShape }>(
    platform.url,
    `query { ask(question: "Where is the zeppelin hangar?") { ${ANSWER} } }`,
    {},
    owner.accessToken,
  );
  expect(response.data!.ask).toMatchObject({ grounded: false, citations: [] });
});

it('streams the SDK’s tokens through askStream and ends with the mapped Answer', async () => {
  const subscriber = subscribe(
    platform.url,
    owner.accessToken,
    `subscription { askStream(question: "What is the monthly rent?") {
       text done answer { answer grounded citations { document { title } } }
     } }`,
  );
  try {
    await until(
      () =>
        subscriber.results.some(
          (r) => (r.data?.askStream as { done?: boolean } | undefined)?.done === true,
        ),
      20_000,
      'the final delta',
    );
    const deltas = subscriber.results.map(
      (r) =>
        r.data!.askStream as {
          text: string;
          done: boolean;
          answer: { answer: string; grounded: boolean; citations: unknown[] } | null;
        },
    );
    // Token by token: more than one piece before the last.
    expect(deltas.length).toBeGreaterThan(3);
    expect(
      deltas
        .slice(0, -1)
        .map((d) => d.text)
        .join(''),
    ).toContain('[9]');
    const final = deltas.at(-1)!;
    expect(final.answer).toEqual({
      answer: 'The tenant pays a monthly rent of 4,000 EUR [1]. Parking is included.',
      grounded: true,
      citations: [{ document: { title: 'Lease' } }],
    });
  } finally {
    await subscriber.dispose();
  }
});
