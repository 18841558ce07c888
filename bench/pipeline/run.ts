import { corpusDir } from '../../test/support/corpus';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAiProvider, type AiProvider } from '../../core/ai';
import { loadConfig } from '../../core/config/config';
import { freshBenchDatabase } from '../support/database';
import { createLogger } from '../../core/logging/logger';
import { startDocumentPipeline } from '../../subgraphs/documents/jobs/document-pipeline.worker';
import { contractPdf } from '../../test/support/make-pdf';
import { startRoleProcess, stopProcesses } from '../support/processes';
import { startSlowOpenAiServer } from './slow-openai-server';
import { postGraphql } from '../support/graphql';

/**
 * `npm run bench:pipeline`: documents per minute and the latency from completeUpload to
 * PROCESSED over a mixed corpus (10-page PDFs, PDF.js corpus files, Markdown, HTML, text),
 * every API role in its own process, the pipeline worker in this one.
 *
 * BENCH_AI: `local` (default: the configured local provider), `openai` (the openai provider
 * against a local OpenAI-protocol server answering each call after BENCH_OPENAI_DELAY_MS,
 * default 3000), `null` (a provider that answers at once: the pipeline's own cost).
 * BENCH_DOCUMENTS (default 40), BENCH_PARALLEL uploads at once (default 4).
 */
const MODE = (process.env.BENCH_AI ?? 'local') as 'local' | 'openai' | 'null';
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 40);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 4);
const BASE_PORT = 4340; // bench:gateway uses 4100+, the realtime bench 4200+
const DATABASE = 'docent_bench_pipeline';
const CORPUS = corpusDir('pdfjs');

const roles = ['accounts', 'documents', 'search', 'compliance', 'notifications'] as const;
const port = (role: string) =>
  role === 'gateway' ? BASE_PORT : BASE_PORT + 1 + roles.indexOf(role as (typeof roles)[number]);
const url = (role: string) => `http://127.0.0.1:${port(role)}/graphql`;

const nullAi: AiProvider = {
  embeddingModel: 'null',
  dimensions: 8,
  embed: async (texts) => texts.map(() => new Array(8).fill(0)),
  classify: async (_text, categories) => ({ label: categories[0].name, confidence: 0 }),
  summarize: async () => '',
  extractFacts: async () => ({
    parties: [],
    effectiveDate: null,
    expiryDate: null,
    amounts: [],
    dates: [],
    emails: [],
    other: null,
  }),
  async *answer() {},
};

interface Sample {
  kind: string;
  filename: string;
  contentType: string;
  body: Buffer;
}

function corpus(): Sample[] {
  const pdf = (file: string): Sample => ({
    kind: `pdf ${file}`,
    filename: file,
    contentType: 'application/pdf',
    body: readFileSync(join(CORPUS, file)),
  });
  return [
    {
      kind: '10-page PDF',
      filename: 'contract.pdf',
      contentType: 'application/pdf',
      body: contractPdf(10),
    },
    pdf('nested_outline.pdf'),
    {
      kind: '10-page PDF',
      filename: 'contract.pdf',
      contentType: 'application/pdf',
      body: contractPdf(10),
    },
    pdf('160F-2019.pdf'),
    {
      kind: 'markdown',
      filename: 'notes.md',
      contentType: 'text/markdown',
      body: Buffer.from(
        '# Quarterly report\n\nRevenue grew 12% to EUR 4.2 million. Contact finance@example.com.\n'.repeat(
          40,
        ),
      ),
    },
    {
      kind: 'html',
      filename: 'letter.html',
      contentType: 'text/html',
      body: Buffer.from(
        `<html><body>${'<p>Dear customer, your policy renews on 1 June 2027 for USD 900.</p>'.repeat(40)}</body></html>`,
      ),
    },
    {
      kind: 'text',
      filename: 'memo.txt',
      contentType: 'text/plain',
      body: Buffer.from('This memo records the decision of the board on 3 March 2026. '.repeat(60)),
    },
  ];
}

function post<T>(query: string, variables: object, token?: string): Promise<T> {
  return postGraphql<T>(url('gateway'), query, variables, token);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const databaseUrl = await freshBenchDatabase(DATABASE);
  const dataDir = mkdtempSync(join(tmpdir(), 'docent-bench-data-'));
  const slowOpenAi =
    MODE === 'openai'
      ? await startSlowOpenAiServer(Number(process.env.BENCH_OPENAI_DELAY_MS ?? 3000))
      : null;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `bench-pipeline-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port('gateway')}`,
    GATEWAY_PORT: String(port('gateway')),
    LOG_LEVEL: 'warn',
    PIPELINE_CONCURRENCY: process.env.PIPELINE_CONCURRENCY ?? '4',
    // The bench polls each document's status; the gateway's per-user rate limit would throttle it.
    RATE_LIMIT_PER_USER: '0',
    ...(slowOpenAi
      ? { AI_PROVIDER: 'openai', OPENAI_BASE_URL: slowOpenAi.url, OPENAI_API_KEY: 'bench' }
      : {}),
  };
  for (const role of roles) {
    env[`${role.toUpperCase()}_PORT`] = String(port(role));
    env[`${role.toUpperCase()}_URL`] = url(role);
  }
  Object.assign(process.env, env);
  const config = loadConfig(process.env);

  const children = [];
  for (const role of roles) children.push(await startRoleProcess(role, env, port(role)));
  // The scheduler's outbox relay publishes document events, which also invalidate the gateway's
  // response cache: without it a polled `document` could stay stale for the cache's lifetime.
  env.SCHEDULER_PORT = String(BASE_PORT + 11);
  children.push(await startRoleProcess('scheduler', env, BASE_PORT + 11));
  children.push(await startRoleProcess('gateway', env, port('gateway')));
  let ai = nullAi;
  if (MODE !== 'null') {
    ai = createAiProvider(config);
  }
  const pipeline = await startDocumentPipeline(config, createLogger('bench-worker', 'warn'), {
    ai,
    index: false,
  });

  try {
    const signUp = await post<{ signUp: { accessToken: string } }>(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      {
        input: {
          email: `bench-${Date.now()}@example.com`,
          password: 'Correct-horse-battery-9',
          name: 'Bench',
          organizationName: 'Bench',
        },
      },
    );
    const token = signUp.signUp.accessToken;
    const samples = corpus();
    const results: { kind: string; ms: number; status: string; error: string | null }[] = [];

    const one = async (sample: Sample) => {
      const ticket = await post<{
        createUpload: {
          document: { id: string };
          uploadUrl: string;
          uploadHeaders: Record<string, string>;
        };
      }>(
        'mutation ($input: CreateUploadInput!) { createUpload(input: $input) { document { id } uploadUrl uploadHeaders } }',
        {
          input: {
            filename: sample.filename,
            contentType: sample.contentType,
            byteSize: sample.body.length,
          },
        },
        token,
      );
      const { id } = ticket.createUpload.document;
      const put = await fetch(ticket.createUpload.uploadUrl, {
        method: 'PUT',
        headers: ticket.createUpload.uploadHeaders,
        body: new Uint8Array(sample.body),
      });
      if (!put.ok) throw new Error(`PUT ${put.status}`);
      const started = performance.now();
      await post('mutation ($id: ID!) { completeUpload(documentId: $id) { id } }', { id }, token);
      for (;;) {
        const { document } = await post<{
          document: { status: string; processing: { error: string | null } };
        }>('query ($id: ID!) { document(id: $id) { status processing { error } } }', { id }, token);
        if (document.status === 'PROCESSED' || document.status === 'FAILED') {
          results.push({
            kind: sample.kind,
            ms: performance.now() - started,
            status: document.status,
            error: document.processing.error,
          });
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    const wallStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < DOCUMENTS) {
          const sample = samples[next++ % samples.length];
          await one(sample);
        }
      }),
    );
    const wallMs = performance.now() - wallStart;

    const ok = results.filter((r) => r.status === 'PROCESSED');
    const lines = [
      `bench:pipeline  AI=${MODE}${MODE === 'openai' ? ` (each call answered after ${process.env.BENCH_OPENAI_DELAY_MS ?? 3000} ms)` : ''}  documents=${DOCUMENTS}  parallel uploads=${PARALLEL}  worker concurrency=${config.PIPELINE_CONCURRENCY}`,
      `  throughput: ${((results.length / wallMs) * 60_000).toFixed(1)} documents/minute (${results.length} in ${(wallMs / 1000).toFixed(1)} s); ${ok.length} PROCESSED, ${results.length - ok.length} FAILED`,
      `  completeUpload → PROCESSED, all: p50 ${percentile(
        ok.map((r) => r.ms),
        50,
      ).toFixed(0)} ms, p95 ${percentile(
        ok.map((r) => r.ms),
        95,
      ).toFixed(0)} ms`,
    ];
    for (const kind of [...new Set(results.map((r) => r.kind))]) {
      const ms = ok.filter((r) => r.kind === kind).map((r) => r.ms);
      lines.push(
        `    ${kind.padEnd(28)} n=${String(ms.length).padStart(3)}  p50 ${percentile(ms, 50).toFixed(0).padStart(6)} ms  p95 ${percentile(ms, 95).toFixed(0).padStart(6)} ms`,
      );
    }
    for (const failure of results.filter((r) => r.status === 'FAILED').slice(0, 5))
      lines.push(`  FAILED ${failure.kind}: ${failure.error}`);
    console.log(lines.join('\n'));
  } finally {
    await pipeline.stop();
    await stopProcesses(children);
    await slowOpenAi?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
