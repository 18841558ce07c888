import { graphql } from '../support/graphql-client';
import { signUpOwner } from '../support/actors';
import { contractPdf } from '../support/make-pdf';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * Must show, with the real default AI provider (`local`, core/ai): a 20-page PDF goes from
 * completeUpload to PROCESSED with text, page count, classification, summary and facts filled.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ AI_PROVIDER: 'local' }, { pipeline: { index: true } });
}, 60_000);
afterAll(async () => platform?.stop());

it('takes a 20-page contract PDF to PROCESSED with every field filled by the local provider', async () => {
  const owner = await signUpOwner(platform.url);
  const pdf = contractPdf(20);
  const ticket = await graphql<{
    createUpload: {
      document: { id: string };
      uploadUrl: string;
      uploadHeaders: Record<string, string>;
    };
  }>(
    platform.url,
    'mutation ($input: CreateUploadInput!) { createUpload(input: $input) { document { id } uploadUrl uploadHeaders } }',
    { input: { filename: 'msa.pdf', contentType: 'application/pdf', byteSize: pdf.length } },
    owner.accessToken,
  );
  const { id } = ticket.data!.createUpload.document;
  const put = await fetch(ticket.data!.createUpload.uploadUrl, {
    method: 'PUT',
    headers: ticket.data!.createUpload.uploadHeaders,
    body: new Uint8Array(pdf),
  });
  expect(put.status).toBe(200);
  const started = Date.now();
  const completed = await graphql(
    platform.url,
    'mutation ($id: ID!) { completeUpload(documentId: $id) { status } }',
    { id },
    owner.accessToken,
  );
  expect(completed.data).toEqual({ completeUpload: { status: 'QUEUED' } });

  type Doc = {
    status: string;
    pageCount: number;
    summary: string;
    text: string;
    classification: { label: string; confidence: number };
    facts: {
      parties: string[];
      effectiveDate: string | null;
      expiryDate: string | null;
      amounts: { amount: number; currency: string }[];
      emails: string[];
    };
    processing: { stage: string; progress: number; error: string | null; durationMs: number };
  };
  let doc: Doc | null = null;
  while (Date.now() - started < 30_000) {
    const answer = await graphql<{ document: Doc }>(
      platform.url,
      `
        query ($id: ID!) {
          document(id: $id) {
            status
            pageCount
            summary
            text(limit: 100000)
            classification {
              label
              confidence
            }
            facts {
              parties
              effectiveDate
              expiryDate
              amounts {
                amount
                currency
              }
              emails
            }
            processing {
              stage
              progress
              error
              durationMs
            }
          }
        }
      `,
      { id },
      owner.accessToken,
    );
    doc = answer.data!.document;
    if (doc.status === 'PROCESSED' || doc.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(doc).toMatchObject({
    status: 'PROCESSED',
    pageCount: 20,
    classification: { label: 'contract' },
    processing: { stage: 'FINALIZE', progress: 1, error: null },
  });
  expect(doc!.text).toMatch(/Page 20 of 20/);
  expect(doc!.summary.length).toBeGreaterThan(20);
  expect(doc!.classification.confidence).toBeGreaterThan(0);
  expect(doc!.facts.emails).toEqual(
    expect.arrayContaining(['legal@acme.example', 'contracts@globex.example']),
  );
  expect(doc!.facts.amounts).toEqual(expect.arrayContaining([{ amount: 120000, currency: 'USD' }]));
  expect(doc!.facts.expiryDate).toBe('2029-02-28');
  expect(doc!.facts.parties.length).toBeGreaterThan(0);

  // Chunked and embedded by search; another organization sees neither the document nor its chunks.
  let chunkCount = 0;
  while (chunkCount === 0 && Date.now() - started < 60_000) {
    const chunks = await graphql<{ document: { chunkCount: number } }>(
      platform.url,
      'query ($id: ID!) { document(id: $id) { chunkCount } }',
      { id },
      owner.accessToken,
    );
    chunkCount = chunks.data!.document.chunkCount;
    if (chunkCount === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(chunkCount).toBeGreaterThan(1);
  const pages = await platform.subgraphs
    .get('search')!
    .dataSource.query(
      'SELECT min(page) AS first, max(page) AS last FROM search.chunks WHERE document_id = $1',
      [id],
    );
  expect(pages[0]).toEqual({ first: 1, last: expect.any(Number) });
  // A chunk keeps the page it starts on; ~800-token chunks span several of these pages.
  expect(pages[0].last).toBeGreaterThan(10);
  const stranger = await signUpOwner(platform.url);
  const hidden = await graphql<{ document: unknown }>(
    platform.url,
    'query ($id: ID!) { document(id: $id) { id } }',
    { id },
    stranger.accessToken,
  );
  expect(hidden.data!.document).toBeNull();
  const theirCount = await graphql<{ _entities: { chunkCount: number }[] }>(
    platform.subgraphs.get('search')!.url,
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Document { chunkCount } } }',
    { r: [{ __typename: 'Document', id }] },
    stranger.accessToken,
  );
  expect(theirCount.data!._entities).toEqual([{ chunkCount: 0 }]);

  // eslint-disable-next-line no-console -- the must-show figure
  console.log(
    `20-page PDF: completeUpload → PROCESSED in ${doc!.processing.durationMs} ms of processing; facts ${JSON.stringify(doc!.facts)}; summary ${JSON.stringify(doc!.summary.slice(0, 200))}`,
  );
});
