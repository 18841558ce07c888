import { corpusDir } from '../support/corpus';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AiProvider } from '../../core/ai/ai-provider';
import { graphql } from '../support/graphql-client';
import { signUpOwner, type Actor } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * Must show: every PDF of ../shared/corpus/pdfjs (PDF.js's own test files: malformed, truncated,
 * encrypted, scanned, exotic fonts) ends PROCESSED or FAILED with a specific reason, the worker
 * never crashes, and no document is left QUEUED or PROCESSING.
 */
const CORPUS = corpusDir('pdfjs');
const FILES = readdirSync(CORPUS)
  .filter((f) => f.toLowerCase().endsWith('.pdf'))
  .sort();

/** Test double (this file only): the corpus test is about extraction, not the AI. */
const ai: AiProvider = {
  embeddingModel: 'test-double',
  dimensions: 8,
  embed: async (texts) => texts.map(() => [1, 0, 0, 0, 0, 0, 0, 0]),
  classify: async () => ({ label: 'other', confidence: 0.5 }),
  summarize: async (text) => text.slice(0, 100),
  extractFacts: async () => ({
    parties: [],
    effectiveDate: null,
    expiryDate: null,
    amounts: [],
    dates: [],
    emails: [],
    other: null,
  }),
  async *answer() {
    yield { text: '' };
  },
};

/** What a FAILED document's reason must look like: specific, never a bare internal error. */
const CLEAR_REASON =
  /encrypted with a password|not a valid PDF|could not be read: \w+|pages; at most|characters of text|took longer than|more than \d+ MB|The file is/;

let platform: TestPlatform;
let owner: Actor;
beforeAll(async () => {
  platform = await startTestPlatform({ PIPELINE_CONCURRENCY: '4' }, { pipeline: { ai } });
  owner = await signUpOwner(platform.url);
}, 60_000);
afterAll(async () => platform?.stop());

async function uploadOne(file: string): Promise<{ file: string; id: string; refused?: string }> {
  const body = readFileSync(join(CORPUS, file));
  const created = await graphql<{
    createUpload: {
      document: { id: string };
      uploadUrl: string;
      uploadHeaders: Record<string, string>;
    };
  }>(
    platform.url,
    'mutation ($input: CreateUploadInput!) { createUpload(input: $input) { document { id } uploadUrl uploadHeaders } }',
    { input: { filename: file, contentType: 'application/pdf', byteSize: body.length } },
    owner.accessToken,
  );
  const ticket = created.data!.createUpload;
  const put = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    headers: ticket.uploadHeaders,
    body: new Uint8Array(body),
  });
  expect(put.status).toBe(200);
  const completed = await graphql(
    platform.url,
    'mutation ($id: ID!) { completeUpload(documentId: $id) { id } }',
    { id: ticket.document.id },
    owner.accessToken,
  );
  return { file, id: ticket.document.id, refused: completed.errors?.[0]?.message };
}

// About 100 s on 2 cores: run by `npm run test:corpus` (DOCENT_PDF_CORPUS=1, see jest.config.ts), not by every `npm test`.
it(`ends each of the ${FILES.length} corpus PDFs PROCESSED or FAILED with a clear reason`, async () => {
  const uploads: { file: string; id: string; refused?: string }[] = [];
  for (let i = 0; i < FILES.length; i += 8)
    uploads.push(...(await Promise.all(FILES.slice(i, i + 8).map(uploadOne))));

  const deadline = Date.now() + 240_000;
  let rows: {
    id: string;
    status: string;
    error: string | null;
    stage: string | null;
    pages: number | null;
    ocr: boolean;
  }[] = [];
  for (;;) {
    rows = await platform.subgraphs.get('documents')!.dataSource.query(
      `SELECT id, status, processing_error AS error, processing_stage AS stage, page_count AS pages, needs_ocr AS ocr
           FROM documents.documents WHERE organization_id = $1`,
      [owner.organizationId],
    );
    if (rows.every((r) => r.status === 'PROCESSED' || r.status === 'FAILED')) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const report = uploads.map((u) => ({ file: u.file, ...byId.get(u.id)! }));
  const processed = report.filter((r) => r.status === 'PROCESSED');
  const failed = report.filter((r) => r.status === 'FAILED');
  // eslint-disable-next-line no-console -- the corpus report is the point of this run
  console.log(
    `pdfjs corpus: ${processed.length} PROCESSED (${processed.filter((r) => r.ocr).length} without a text layer), ${failed.length} FAILED\n` +
      failed.map((r) => `  ${r.file}: ${r.stage}: ${r.error}`).join('\n'),
  );
  expect(report.filter((r) => r.status !== 'PROCESSED' && r.status !== 'FAILED')).toEqual([]);
  for (const r of failed)
    expect({ file: r.file, error: r.error }).toEqual({
      file: r.file,
      error: expect.stringMatching(CLEAR_REASON),
    });
  // The worker is still serving.
  expect(await platform.pipeline!.worker.isRunning()).toBe(true);
}, 300_000);
