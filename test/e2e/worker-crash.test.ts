import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { graphql } from '../support/graphql-client';
import { signUpOwner } from '../support/actors';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * A worker process killed (SIGKILL) in the middle of a job: BullMQ finds the job stalled once
 * its lock expires and another worker runs it; the document reaches PROCESSED exactly once.
 * Locks are shortened here (2 s, checked every 1 s); production uses 30 s for both
 * (PIPELINE_LOCK_DURATION_MS, PIPELINE_STALLED_INTERVAL_MS).
 */
let platform: TestPlatform;
const children: ChildProcess[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({
    PIPELINE_LOCK_DURATION_MS: '2000',
    PIPELINE_STALLED_INTERVAL_MS: '1000',
  });
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await platform?.stop();
});

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(platform.config))
    if (value !== undefined && value !== null) env[key] = String(value);
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

/** Starts a worker process; resolves once it printed `ready`. */
function startWorker(extra: Record<string, string>): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'fixtures/pipeline-worker.ts')],
    { cwd: join(__dirname, '../..'), env: environment(extra), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output.push(...data.toString().split('\n').filter(Boolean));
      if (output.includes('ready')) resolve({ child, output });
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('finishes a document once after its worker was killed in the middle of a job', async () => {
  const owner = await signUpOwner(platform.url);
  const first = await startWorker({ SUMMARIZE_DELAY_MS: '60000' });
  const created = await graphql<{ createTextDocument: { id: string } }>(
    platform.url,
    'mutation { createTextDocument(input: {title: "Crash", text: "A report that outlives its worker."}) { id } }',
    {},
    owner.accessToken,
  );
  const id = created.data!.createTextDocument.id;
  await waitFor(() => first.output.includes('summarize-started'), 20_000);
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));

  await startWorker({ SUMMARIZE_DELAY_MS: '0' });
  const status = async () => {
    const answer = await graphql<{ document: { status: string; summary: string | null } }>(
      platform.url,
      'query ($id: ID!) { document(id: $id) { status summary } }',
      { id },
      owner.accessToken,
    );
    return answer.data!.document;
  };
  await waitFor(async () => (await status()).status === 'PROCESSED', 30_000);
  expect((await status()).summary).toBe('A report that outlives its worker.');

  const db = new Client({ connectionString: platform.config.DATABASE_URL });
  await db.connect();
  try {
    const events = await db.query(
      `SELECT type FROM documents.outbox WHERE aggregate_id = $1 AND type = 'document.processed'`,
      [id],
    );
    expect(events.rowCount).toBe(1);
  } finally {
    await db.end();
  }
}, 90_000);
