import { corpusDir } from '../support/corpus';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AiProvider } from '../../core/ai/ai-provider';
import { errorCode, graphql, type GraphQLResponse } from '../support/graphql-client';
import { signUpOwner, type Actor } from '../support/actors';
import { contractPdf, makePdf } from '../support/make-pdf';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const CORPUS = corpusDir('pdfjs');

/**
 * A deterministic stand-in for the AI provider, in this test only (the real providers are the AI
 * issue's, tested there): it lets these tests assert exact classification, summary and facts.
 */
const fakeAi: AiProvider = {
  embeddingModel: 'test-double',
  dimensions: 8,
  embed: async (texts) => texts.map(() => [1, 0, 0, 0, 0, 0, 0, 0]),
  classify: async (text, categories) => ({
    label: /agreement/i.test(text) ? 'contract' : (categories.at(-1)?.name ?? 'other'),
    confidence: 0.9,
  }),
  summarize: async (text) => text.split(/(?<=\.)\s/)[0].slice(0, 300),
  extractFacts: async (text) => ({
    parties: /Acme Corporation/.test(text) ? ['Acme Corporation', 'Globex Services Ltd'] : [],
    effectiveDate: /1 March 2026/.test(text) ? '2026-03-01' : null,
    expiryDate: /28 February 2029/.test(text) ? '2029-02-28' : null,
    amounts: /USD 120,000\.00/.test(text)
      ? [{ amount: 120000, currency: 'USD', text: 'USD 120,000.00' }]
      : [],
    dates: [],
    emails: text.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? [],
    other: null,
  }),
  async *answer() {
    yield { text: '' };
  },
};

const DOCUMENT = `id title status pageCount needsOcr summary sha256 byteSize contentType
  classification { label confidence }
  facts { parties effectiveDate expiryDate amounts { amount currency text } emails }
  processing { stage progress attempts error durationMs }
  duplicateOf { id }`;

interface Doc {
  id: string;
  status: string;
  pageCount: number | null;
  needsOcr: boolean;
  summary: string | null;
  sha256: string | null;
  classification: { label: string; confidence: number } | null;
  facts: {
    parties: string[];
    effectiveDate: string | null;
    expiryDate: string | null;
    amounts: unknown[];
    emails: string[];
  } | null;
  processing: {
    stage: string | null;
    progress: number;
    attempts: number;
    error: string | null;
    durationMs: number | null;
  };
  duplicateOf: { id: string } | null;
}

let platform: TestPlatform;
let a: Actor;
let b: Actor;
beforeAll(async () => {
  platform = await startTestPlatform(
    { MAX_UPLOAD_BYTES: String(2 * 1024 * 1024), PIPELINE_ATTEMPTS: '2' },
    { pipeline: { ai: fakeAi } },
  );
  [a, b] = await Promise.all([signUpOwner(platform.url), signUpOwner(platform.url)]);
}, 60_000);
afterAll(async () => platform?.stop());

async function createUpload(actor: Actor, filename: string, contentType: string, byteSize: number) {
  const answer = await graphql<{
    createUpload: {
      document: { id: string; status: string };
      uploadUrl: string;
      uploadMethod: string;
      uploadHeaders: Record<string, string>;
      expiresAt: string;
    };
  }>(
    platform.url,
    `
      mutation ($input: CreateUploadInput!) {
        createUpload(input: $input) {
          document {
            id
            status
          }
          uploadUrl
          uploadMethod
          uploadHeaders
          expiresAt
        }
      }
    `,
    { input: { filename, contentType, byteSize } },
    actor.accessToken,
  );
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
  return answer.data.createUpload;
}

async function put(
  ticket: { uploadUrl: string; uploadHeaders: Record<string, string> },
  body: Buffer,
) {
  return fetch(ticket.uploadUrl, {
    method: 'PUT',
    headers: ticket.uploadHeaders,
    body: new Uint8Array(body),
  });
}

async function complete(
  actor: Actor,
  id: string,
): Promise<GraphQLResponse<{ completeUpload: Doc }>> {
  return graphql(
    platform.url,
    `mutation ($id: ID!) { completeUpload(documentId: $id) { ${DOCUMENT} } }`,
    { id },
    actor.accessToken,
  );
}

/** createUpload → PUT → completeUpload, as a client does. */
async function upload(
  actor: Actor,
  filename: string,
  contentType: string,
  body: Buffer,
  declaredSize = body.length,
) {
  const ticket = await createUpload(actor, filename, contentType, declaredSize);
  expect(ticket.document.status).toBe('AWAITING_UPLOAD');
  const put1 = await put(ticket, body);
  expect(put1.status).toBe(200);
  return { id: ticket.document.id, completed: await complete(actor, ticket.document.id) };
}

async function getDocument(actor: Actor, id: string, fields = DOCUMENT) {
  const answer = await graphql<{ document: (Doc & Record<string, unknown>) | null }>(
    platform.url,
    `query ($id: ID!) { document(id: $id) { ${fields} } }`,
    { id },
    actor.accessToken,
  );
  return answer;
}

async function settled(actor: Actor, id: string, timeoutMs = 30_000): Promise<Doc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = (await getDocument(actor, id)).data?.document;
    if (doc && (doc.status === 'PROCESSED' || doc.status === 'FAILED')) return doc;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${doc?.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('document ingestion through the gateway', () => {
  it('takes a 20-page PDF from completeUpload to PROCESSED with every field filled', async () => {
    const pdf = contractPdf(20);
    const { id, completed } = await upload(a, 'msa.pdf', 'application/pdf', pdf);
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeUpload.status).toBe('QUEUED');
    const started = Date.now();
    const doc = await settled(a, id);
    const elapsed = Date.now() - started;
    expect(doc).toMatchObject({
      status: 'PROCESSED',
      pageCount: 20,
      needsOcr: false,
      classification: { label: 'contract', confidence: 0.9 },
      facts: {
        parties: ['Acme Corporation', 'Globex Services Ltd'],
        effectiveDate: '2026-03-01',
        expiryDate: '2029-02-28',
        amounts: [{ amount: 120000, currency: 'USD', text: 'USD 120,000.00' }],
        emails: ['legal@acme.example', 'contracts@globex.example'],
      },
      processing: { stage: 'FINALIZE', progress: 1, error: null },
    });
    expect(doc.summary).toMatch(/MASTER SERVICES AGREEMENT/);
    expect(doc.processing.attempts).toBeGreaterThanOrEqual(1);
    expect(doc.processing.durationMs).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(10_000);

    // The text keeps every page; the download URL gives back the very bytes.
    const text = await getDocument(a, id, 'text(offset: 0, limit: 100000) downloadUrl');
    expect(text.data!.document!.text).toMatch(/Page 20 of 20/);
    const download = await fetch(text.data!.document!.downloadUrl as string);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    // Identical bytes again: accepted, and reported as a duplicate of the first.
    const again = await upload(a, 'msa-copy.pdf', 'application/pdf', pdf);
    expect(again.completed.data!.completeUpload.duplicateOf).toEqual({ id });
    // Another organization's identical bytes are not its duplicate.
    const other = await upload(b, 'msa.pdf', 'application/pdf', pdf);
    expect(other.completed.data!.completeUpload.duplicateOf).toBeNull();
  });

  it('processes corpus PDFs: a multi-page one, one without a text layer; fails an encrypted one', async () => {
    const nested = await upload(
      a,
      'nested_outline.pdf',
      'application/pdf',
      readFileSync(join(CORPUS, 'nested_outline.pdf')),
    );
    const scanned = await upload(
      a,
      'IndexedCS.pdf',
      'application/pdf',
      readFileSync(join(CORPUS, 'IndexedCS_negative_and_high.pdf')),
    );
    const encrypted = await upload(
      a,
      'locked.pdf',
      'application/pdf',
      readFileSync(join(CORPUS, 'pr6531_2.pdf')),
    );
    expect((await settled(a, nested.id)).pageCount).toBe(9);
    expect(await settled(a, scanned.id)).toMatchObject({
      status: 'PROCESSED',
      needsOcr: true,
      pageCount: 1,
    });
    expect(await settled(a, encrypted.id)).toMatchObject({
      status: 'FAILED',
      processing: { stage: 'EXTRACT', error: expect.stringMatching(/encrypted with a password/) },
    });
  });

  it('refuses bad files with a precise reason, keeps them visible as FAILED, and the worker stays up', async () => {
    const cases: { name: string; type: string; body: Buffer; declared?: number; reason: RegExp }[] =
      [
        {
          name: 'empty.txt',
          type: 'text/plain',
          body: Buffer.alloc(0),
          declared: 10,
          reason: /The file is empty/,
        },
        {
          name: 'short.txt',
          type: 'text/plain',
          body: Buffer.from('abc'),
          declared: 10,
          reason: /has 3 bytes but 10 were declared/,
        },
        {
          name: 'image.pdf',
          type: 'application/pdf',
          body: Buffer.from(
            '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
            'hex',
          ),
          reason: /image\/png .* accepted are PDF/,
        },
        {
          name: 'notes.txt',
          type: 'text/plain',
          body: contractPdf(1),
          reason: /is a PDF but was declared as text\/plain/,
        },
      ];
    for (const c of cases) {
      const ticket = await createUpload(a, c.name, c.type, c.declared ?? c.body.length);
      if (c.body.length > 0) expect((await put(ticket, c.body)).status).toBe(200);
      else await put(ticket, c.body);
      const answer = await complete(a, ticket.document.id);
      expect(errorCode(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].message).toMatch(c.reason);
      const doc = (await getDocument(a, ticket.document.id)).data!.document!;
      expect(doc).toMatchObject({
        status: 'FAILED',
        processing: { stage: 'VALIDATE', error: answer.errors![0].message },
      });
    }

    // Over the limit: refused at createUpload, and the upload URL takes no more than declared.
    const tooBig = await graphql(
      platform.url,
      `mutation { createUpload(input: {filename: "big.pdf", contentType: "application/pdf", byteSize: ${3 * 1024 * 1024}}) { uploadUrl } }`,
      {},
      a.accessToken,
    );
    expect(errorCode(tooBig)).toBe('BAD_USER_INPUT');
    const small = await createUpload(a, 'small.txt', 'text/plain', 5);
    expect((await put(small, Buffer.from('more than five bytes'))).status).toBe(413);

    // Corrupt and truncated PDFs pass the magic bytes and fail extraction with the reason.
    const corrupt = await upload(
      a,
      'corrupt.pdf',
      'application/pdf',
      Buffer.from(`%PDF-1.7\n${'garbage '.repeat(100)}`),
    );
    const whole = readFileSync(join(CORPUS, 'nested_outline.pdf'));
    const truncated = await upload(
      a,
      'truncated.pdf',
      'application/pdf',
      whole.subarray(0, Math.floor(whole.length / 3)),
    );
    for (const id of [corrupt.id, truncated.id])
      expect(await settled(a, id)).toMatchObject({
        status: 'FAILED',
        processing: { stage: 'EXTRACT', error: expect.stringMatching(/not a valid PDF/) },
      });

    // The worker is still up: a good document still goes through.
    const good = await upload(
      a,
      'fine.md',
      'text/markdown',
      Buffer.from('# Report\n\nQuarterly **results** are good.'),
    );
    expect(await settled(a, good.id)).toMatchObject({ status: 'PROCESSED', pageCount: null });
  });

  it('runs createTextDocument through the pipeline and reprocesses on request', async () => {
    const created = await graphql<{ createTextDocument: { id: string } }>(
      platform.url,
      'mutation { createTextDocument(input: {title: "Letter", text: "<p>Dear Ada, this agreement is renewed.</p>", contentType: "text/html"}) { id } }',
      {},
      a.accessToken,
    );
    const id = created.data!.createTextDocument.id;
    const first = await settled(a, id);
    expect(first).toMatchObject({ status: 'PROCESSED', classification: { label: 'contract' } });
    const text = await getDocument(a, id, 'text');
    expect(text.data!.document!.text).toBe('Dear Ada, this agreement is renewed.');

    const again = await graphql<{ reprocessDocument: { status: string } }>(
      platform.url,
      'mutation ($id: ID!) { reprocessDocument(id: $id) { status } }',
      { id },
      a.accessToken,
    );
    expect(again.data!.reprocessDocument.status).toBe('QUEUED');
    expect(await settled(a, id)).toMatchObject({ status: 'PROCESSED' });
  });

  it("keeps organization B away from A's document, text and download URL; deletion removes the object", async () => {
    const { id } = await upload(
      a,
      'private.txt',
      'text/plain',
      Buffer.from('Private agreement between A and nobody else.'),
    );
    await settled(a, id);
    const seen = await getDocument(b, id, 'id text downloadUrl');
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.document).toBeNull();
    const completeOther = await complete(b, id);
    expect(errorCode(completeOther)).toBe('NOT_FOUND');
    const list = await graphql<{ documents: { edges: { node: { id: string } }[] } }>(
      platform.url,
      '{ documents(first: 100) { edges { node { id } } } }',
      {},
      b.accessToken,
    );
    expect(list.data!.documents.edges.map((e) => e.node.id)).not.toContain(id);

    // A tampered or re-targeted URL is refused.
    const url = new URL(
      (await getDocument(a, id, 'downloadUrl')).data!.document!.downloadUrl as string,
    );
    const tampered = new URL(url);
    tampered.searchParams.set(
      'key',
      tampered.searchParams.get('key')!.replace(a.organizationId, b.organizationId),
    );
    expect((await fetch(tampered)).status).toBe(403);
    const traversal = new URL(url);
    traversal.searchParams.set('key', '../../etc/passwd');
    expect((await fetch(traversal)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);

    const deleted = await graphql(
      platform.url,
      'mutation ($id: ID!) { deleteDocument(id: $id) }',
      { id },
      a.accessToken,
    );
    expect(deleted.data).toEqual({ deleteDocument: true });
    expect((await fetch(url)).status).toBe(404);
  });
});

describe('the hand-written test PDF', () => {
  it('is a PDF', () => {
    expect(
      makePdf([['x']])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});
