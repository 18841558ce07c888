import Redis from 'ioredis';
import { createLogger } from '../../core/logging/logger';
import { startEventConsumers, type RunningConsumers } from '../../workers/events/event-consumers';
import { startScheduler } from '../../workers/scheduler';
import type { RunningRole } from '../../workers/worker';
import { createTextDocument, signUpOwner, type Actor } from '../support/actors';
import { errorCode, graphql } from '../support/graphql-client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { subscribe, until } from '../support/subscriptions';

/**
 * search, ask, askStream and Document.similar through the gateway, over documents that went
 * through the real pipeline (local AI, search's indexer) and the durable consumer that keeps
 * search's facets (filters), with a second organization whose text matches the same queries.
 */
const logger = createLogger('test', 'silent');
let platform: TestPlatform;
let scheduler: RunningRole;
let consumers: RunningConsumers;
let redis: Redis;
let owner: Actor;
let other: Actor;
const docs: Record<string, string> = {};

const TEXTS = {
  wing: `Aircraft wing design. The lift of a swept wing depends on the angle of attack and on the
aspect ratio. Boundary layer separation at high angles of attack reduces lift and raises drag.
Wind tunnel measurements of the pressure distribution confirm the theory for subsonic flow.`,
  lease: `Office lease agreement. The tenant pays a monthly rent of 4,000 EUR on the first day of
each month. Either party may terminate the lease with three months written notice. The landlord
keeps the security deposit until the premises are returned in good condition.`,
  invoice: `Invoice 2024-117 for consulting services. Payment is due within thirty days of the
invoice date. Late payment incurs interest of one percent per month. Bank transfer to the account
stated below is the only accepted payment method.`,
  privacy: `Data protection policy. Personal data of customers is processed only for the purposes
stated at collection. Customers may ask for the deletion of their personal data at any time.
Data breaches are reported to the supervisory authority within seventy-two hours.`,
  recipe: `Bread recipe. Mix flour, water, salt and yeast, knead the dough for ten minutes and let
it rise for two hours. Bake at two hundred and thirty degrees until the crust is brown.`,
};

interface Hit {
  document: { id: string; title: string };
  chunk: { id: string; index: number; text: string };
  score: number;
  highlight: string;
}

async function search(
  actor: Actor,
  query: string,
  extra: { first?: number; mode?: string; filter?: Record<string, unknown> } = {},
) {
  return graphql<{ search: { hits: Hit[]; tookMs: number } }>(
    platform.url,
    `
      query ($query: String!, $first: Int, $mode: SearchMode, $filter: SearchFilter) {
        search(query: $query, first: $first, mode: $mode, filter: $filter) {
          hits {
            document {
              id
              title
            }
            chunk {
              id
              index
              text
            }
            score
            highlight
          }
          tookMs
        }
      }
    `,
    { query, ...extra },
    actor.accessToken,
  );
}

const hitDocs = (hits: Hit[]) => hits.map((h) => h.document.id);

async function processed(actor: Actor, id: string): Promise<void> {
  await until(
    async () => {
      const r = await graphql<{ document: { status: string; chunkCount: number } }>(
        platform.url,
        'query ($id: ID!) { document(id: $id) { status chunkCount } }',
        { id },
        actor.accessToken,
      );
      return r.data?.document.status === 'PROCESSED' && r.data.document.chunkCount > 0;
    },
    60_000,
    `document ${id} processed and indexed`,
  );
}

beforeAll(async () => {
  platform = await startTestPlatform({ AI_PROVIDER: 'local' }, { pipeline: { index: true } });
  scheduler = await startScheduler(platform.config, logger, { port: 0 });
  redis = new Redis(platform.config.REDIS_URL, { maxRetriesPerRequest: null });
  consumers = await startEventConsumers(platform.config, logger, redis);
  owner = await signUpOwner(platform.url);
  other = await signUpOwner(platform.url);
  for (const [key, text] of Object.entries(TEXTS))
    docs[key] = await createTextDocument(platform.url, owner, `Doc ${key}`, text, [`t-${key}`]);
  // Another organization, with text about the same subject as owner's wing document.
  docs.otherWing = await createTextDocument(
    platform.url,
    other,
    'Their wing',
    'Swept wing lift and angle of attack, measured in the wind tunnel of another company.',
  );
  for (const key of Object.keys(TEXTS)) await processed(owner, docs[key]);
  await processed(other, docs.otherWing);
  // Facets arrive through document events: the lease and the invoice become "finance" papers
  // (a category of the organization's own, which the classifier never chose for any other).
  const categories = await graphql(
    platform.url,
    'mutation { setCategories(categories: [{ name: "contract" }, { name: "finance" }, { name: "other" }]) }',
    {},
    owner.accessToken,
  );
  expect(categories.errors).toBeUndefined();
  for (const key of ['lease', 'invoice']) {
    const updated = await graphql(
      platform.url,
      'mutation ($id: ID!) { updateDocument(id: $id, input: { category: "finance", tags: ["money", "2024"] }) { id } }',
      { id: docs[key] },
      owner.accessToken,
    );
    expect(updated.errors).toBeUndefined();
  }
  await until(
    async () =>
      hitDocs(
        (await search(owner, 'payment rent', { filter: { category: 'finance' } })).data!.search
          .hits,
      ).length >= 2,
    30_000,
    'facets of the finance documents',
  );
}, 180_000);

afterAll(async () => {
  await consumers?.stop();
  await scheduler?.stop();
  redis?.disconnect();
  await platform?.stop();
});

describe('search', () => {
  it.each(['KEYWORD', 'SEMANTIC', 'HYBRID'])(
    'ranks the relevant document first for known queries (%s)',
    async (mode) => {
      const cases: Array<[string, string]> = [
        ['lift of a swept wing at high angle of attack', 'wing'],
        ['terminate the lease with notice', 'lease'],
        ['deletion of personal data', 'privacy'],
        ['knead the dough and bake bread', 'recipe'],
      ];
      for (const [query, expected] of cases) {
        const response = await search(owner, query, { mode });
        expect(response.errors).toBeUndefined();
        const hits = response.data!.search.hits;
        expect(hits[0]?.document.id).toBe(docs[expected]);
        expect(hits[0].document.title).toBe(`Doc ${expected}`);
        expect(response.data!.search.tookMs).toBeGreaterThanOrEqual(0);
      }
    },
  );

  it('highlights the matched words in escaped HTML', async () => {
    const response = await search(owner, 'security deposit', { mode: 'KEYWORD' });
    const top = response.data!.search.hits[0];
    expect(top.document.id).toBe(docs.lease);
    expect(top.highlight).toMatch(/<mark>security<\/mark> <mark>deposit<\/mark>/);
    expect(top.chunk.text).toContain('security deposit');
  });

  it('never shows another organization’s chunks, in any mode or filter', async () => {
    for (const mode of ['KEYWORD', 'SEMANTIC', 'HYBRID']) {
      const mine = await search(owner, 'swept wing lift wind tunnel', { mode, first: 50 });
      expect(hitDocs(mine.data!.search.hits)).not.toContain(docs.otherWing);
      const theirs = await search(other, 'swept wing lift wind tunnel', { mode, first: 50 });
      expect(new Set(hitDocs(theirs.data!.search.hits))).toEqual(new Set([docs.otherWing]));
      // Naming the other organization's document in the filter finds nothing either.
      const named = await search(other, 'wing', { mode, filter: { documentIds: [docs.wing] } });
      expect(named.data!.search.hits).toEqual([]);
    }
    const similar = await graphql<{ document: { similar: Hit[] } }>(
      platform.url,
      'query ($id: ID!) { document(id: $id) { similar(first: 20) { document { id } } } }',
      { id: docs.otherWing },
      other.accessToken,
    );
    expect(similar.errors).toBeUndefined();
    expect(similar.data!.document.similar).toEqual([]);
  });

  it('filters by documentIds, category, tags and creation time', async () => {
    const q = 'payment rent lift data bread';
    const byIds = await search(owner, q, {
      first: 50,
      filter: { documentIds: [docs.recipe, docs.wing] },
    });
    expect(new Set(hitDocs(byIds.data!.search.hits))).toEqual(new Set([docs.recipe, docs.wing]));

    const byCategory = await search(owner, q, { first: 50, filter: { category: 'finance' } });
    expect(new Set(hitDocs(byCategory.data!.search.hits))).toEqual(
      new Set([docs.lease, docs.invoice]),
    );

    // Tags from document.processed, and as document.updated replaced them.
    const byTags = await search(owner, q, { first: 50, filter: { tags: ['money', '2024'] } });
    expect(new Set(hitDocs(byTags.data!.search.hits))).toEqual(new Set([docs.lease, docs.invoice]));
    const byOriginalTag = await search(owner, q, { first: 50, filter: { tags: ['t-recipe'] } });
    expect(hitDocs(byOriginalTag.data!.search.hits)).toEqual([docs.recipe]);
    const replaced = await search(owner, q, { first: 50, filter: { tags: ['t-lease'] } });
    expect(replaced.data!.search.hits).toEqual([]);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const after = await search(owner, q, { first: 50, filter: { createdAfter: future } });
    expect(after.data!.search.hits).toEqual([]);
    const before = await search(owner, q, { first: 50, filter: { createdBefore: past } });
    expect(before.data!.search.hits).toEqual([]);
    const within = await search(owner, q, {
      first: 50,
      filter: { createdAfter: past, createdBefore: future, category: 'finance' },
    });
    expect(within.data!.search.hits.length).toBeGreaterThan(0);
  });

  it('answers empty, 10,000-character and operator-laden queries sensibly', async () => {
    for (const query of ['', '   ', '""', '-', '!!! ??? ***']) {
      const response = await search(owner, query);
      expect(response.errors).toBeUndefined();
      expect(response.data!.search.hits).toEqual([]);
    }
    const long = `${'wing lift '.repeat(600)}${'x'.repeat(4_000)}`.slice(0, 10_000);
    const longAnswer = await search(owner, long, { mode: 'HYBRID' });
    expect(longAnswer.errors).toBeUndefined();
    expect(longAnswer.data!.search.hits[0].document.id).toBe(docs.wing);

    const operators = [
      `"security deposit" -bread`,
      `lease & | ! <-> ( ) : * ' \\ ; DROP TABLE search.chunks; --`,
      `"unterminated phrase lease`,
      `-lease -invoice -"personal data"`,
    ];
    for (const query of operators) {
      const response = await search(owner, query, { mode: 'KEYWORD', first: 50 });
      expect(response.errors).toBeUndefined();
      const ids = hitDocs(response.data!.search.hits);
      if (query.startsWith('"security')) expect(ids).toEqual([docs.lease]);
      if (query.startsWith('lease &')) expect(ids[0]).toBe(docs.lease);
    }
    // A phrase must appear; an exclusion must not.
    const excluded = await search(owner, 'payment -invoice', { mode: 'KEYWORD', first: 50 });
    expect(hitDocs(excluded.data!.search.hits)).not.toContain(docs.invoice);
  });

  it('bounds first: beyond the maximum or below 1 is BAD_USER_INPUT', async () => {
    expect(errorCode(await search(owner, 'lease', { first: 51 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await search(owner, 'lease', { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await search(owner, 'lease', { filter: { documentIds: ['not-an-id'] } })),
    ).toBe('BAD_USER_INPUT');
  });
});

describe('Document.similar and chunkCount', () => {
  it('lists nearest chunks of the organization’s other documents, never the document itself', async () => {
    const response = await graphql<{
      document: { chunkCount: number; similar: Hit[] };
    }>(
      platform.url,
      'query ($id: ID!) { document(id: $id) { chunkCount similar(first: 10) { document { id title } chunk { id } score } } }',
      { id: docs.lease },
      owner.accessToken,
    );
    expect(response.errors).toBeUndefined();
    const { chunkCount, similar } = response.data!.document;
    expect(chunkCount).toBeGreaterThan(0);
    expect(similar.length).toBeGreaterThan(0);
    const ids = hitDocs(similar);
    expect(ids).not.toContain(docs.lease);
    expect(ids).not.toContain(docs.otherWing);
    for (const id of ids) expect(Object.values(docs)).toContain(id);
    const scores = similar.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(
      errorCode(
        await graphql(
          platform.url,
          'query ($id: ID!) { document(id: $id) { similar(first: 21) { score } } }',
          { id: docs.lease },
          owner.accessToken,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});

interface AnswerShape {
  answer: string;
  grounded: boolean;
  tookMs: number;
  citations: Array<{
    quote: string;
    document: { id: string; title: string };
    chunk: { id: string; text: string };
  }>;
}
const ANSWER_FIELDS =
  'answer grounded tookMs citations { quote document { id title } chunk { id text } }';

describe('ask', () => {
  it('answers from the documents, citing only retrieved chunks with exact quotes', async () => {
    const question = 'How much notice is needed to terminate the lease?';
    const response = await graphql<{ ask: AnswerShape }>(
      platform.url,
      `query ($q: String!) { ask(question: $q, topK: 4) { ${ANSWER_FIELDS} } }`,
      { q: question },
      owner.accessToken,
    );
    expect(response.errors).toBeUndefined();
    const answer = response.data!.ask;
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toMatch(/three months written notice/);
    expect(answer.citations.length).toBeGreaterThan(0);
    // What ask retrieved: the same question's top 4 (HYBRID).
    const retrieved = (await search(owner, question, { first: 4, mode: 'HYBRID' })).data!.search
      .hits;
    const retrievedText = new Map(retrieved.map((h) => [h.chunk.id, h.chunk.text]));
    for (const citation of answer.citations) {
      expect(retrievedText.has(citation.chunk.id)).toBe(true);
      expect(citation.chunk.text).toBe(retrievedText.get(citation.chunk.id));
      expect(citation.chunk.text).toContain(citation.quote);
      expect(citation.quote.length).toBeGreaterThan(10);
    }
    expect(answer.citations[0].document).toEqual({ id: docs.lease, title: 'Doc lease' });
  });

  it('says "not found" and is not grounded when nothing relevant was retrieved', async () => {
    const response = await graphql<{ ask: AnswerShape }>(
      platform.url,
      `query { ask(question: "xylophone quasar zeppelin") { ${ANSWER_FIELDS} } }`,
      {},
      owner.accessToken,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.ask).toMatchObject({ grounded: false, citations: [] });
    expect(response.data!.ask.answer).toMatch(/not found in your documents/i);
  });

  it('never answers from another organization', async () => {
    const response = await graphql<{ ask: AnswerShape }>(
      platform.url,
      `query { ask(question: "When is the rent paid and how much is it?") { ${ANSWER_FIELDS} } }`,
      {},
      other.accessToken,
    );
    expect(response.data!.ask.grounded).toBe(false);
    expect(response.data!.ask.citations).toEqual([]);
  });

  it('refuses a topK beyond the maximum and an over-long question', async () => {
    const tooMany = await graphql(
      platform.url,
      'query { ask(question: "rent", topK: 21) { answer } }',
      {},
      owner.accessToken,
    );
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    const tooLong = await graphql(
      platform.url,
      'query ($q: String!) { ask(question: $q) { answer } }',
      { q: 'rent '.repeat(1_000) },
      owner.accessToken,
    );
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
  });
});

interface StreamedAnswer {
  grounded: boolean;
  citations: Array<{ document: { id: string } }>;
}

interface StreamedCitation {
  quote: string;
  document: { title: string };
  chunk: { id: string; text: string };
}

describe('askStream', () => {
  it('streams deltas over graphql-ws and ends with the whole Answer, documents resolved', async () => {
    const question = 'What interest is charged on late payment?';
    const subscriber = subscribe(
      platform.url,
      owner.accessToken,
      `subscription ($q: String!) {
         stream: askStream(question: $q) {
           text
           done
           ... on AnswerDelta { answer { answer grounded citations { quote document { title } chunk { id text } } } }
         }
       }`,
      { q: question },
    );
    try {
      await until(
        () =>
          subscriber.results.some(
            (r) => (r.data?.stream as { done?: boolean } | undefined)?.done === true,
          ),
        20_000,
        'the final delta',
      );
      const deltas = subscriber.results.map(
        (r) =>
          r.data!.stream as {
            text: string;
            done: boolean;
            answer: (Omit<AnswerShape, 'citations'> & { citations: StreamedCitation[] }) | null;
          },
      );
      expect(subscriber.results.every((r) => r.errors === undefined)).toBe(true);
      const final = deltas[deltas.length - 1];
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.slice(0, -1).every((d) => !d.done && d.answer === null && d.text)).toBe(true);
      expect(final.done).toBe(true);
      expect(final.answer!.grounded).toBe(true);
      // The deltas are the answer, in order.
      expect(
        deltas
          .slice(0, -1)
          .map((d) => d.text)
          .join('')
          .trim(),
      ).toBe(final.answer!.answer);
      expect(final.answer!.answer).toMatch(/one percent per month/);
      expect(final.answer!.citations[0].document.title).toBe('Doc invoice');
      for (const c of final.answer!.citations) expect(c.chunk.text).toContain(c.quote);

      // The same answer as ask gives.
      const asked = await graphql<{ ask: AnswerShape }>(
        platform.url,
        `
          query ($q: String!) {
            ask(question: $q) {
              answer
            }
          }
        `,
        { q: question },
        owner.accessToken,
      );
      expect(asked.data!.ask.answer).toBe(final.answer!.answer);
    } finally {
      await subscriber.dispose();
    }
  });

  it('applies the filter, and reports bad input as a GraphQL error on the stream', async () => {
    const filtered = subscribe(
      platform.url,
      owner.accessToken,
      `subscription ($ids: [ID!]) {
         askStream(question: "What is paid each month?", filter: { documentIds: $ids }) {
           done answer { grounded citations { document { id } } }
         }
       }`,
      { ids: [docs.invoice] },
    );
    const tooLong = subscribe(
      platform.url,
      owner.accessToken,
      'subscription ($q: String!) { askStream(question: $q) { text done } }',
      { q: 'rent '.repeat(1_000) },
    );
    try {
      const final = () =>
        filtered.results
          .map((r) => r.data?.askStream as { done: boolean; answer: StreamedAnswer | null })
          .find((d) => d?.done);
      await until(() => final() !== undefined, 20_000, 'the filtered final delta');
      const answer = final()!.answer!;
      expect(answer.grounded).toBe(true);
      expect(new Set(answer.citations.map((c) => c.document.id))).toEqual(new Set([docs.invoice]));

      await until(() => tooLong.results.length > 0, 20_000, 'the error');
      expect(tooLong.results[0].errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    } finally {
      await filtered.dispose();
      await tooLong.dispose();
    }
  });

  it('refuses a connection without a credential, as every subscription does', async () => {
    const subscriber = subscribe(
      platform.url,
      null,
      'subscription { askStream(question: "rent") { text } }',
    );
    const closed = await subscriber.closed;
    expect(closed.code).toBe(4401);
    await subscriber.dispose();
  });
});
