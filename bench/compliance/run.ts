import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { createRedis } from '../../core/redis/redis';
import { ComplianceJob, ComplianceQueue } from '../../subgraphs/compliance/jobs/compliance-queue';
import { DEFAULT_POLICIES } from '../../subgraphs/compliance/rules/default-policies';
import { freshBenchDatabase } from '../support/database';

/**
 * bench:compliance — a daily full run over generated documents, through the real job path
 * (schedule-runs → plan-run → run-batch jobs on BullMQ, workers as separate processes).
 * Prints documents evaluated per second and each worker's peak RSS.
 *
 *   BENCH_DOCUMENTS (100000)  BENCH_WORKERS (2)  BENCH_CONCURRENCY (2 per worker)
 *   BENCH_BATCH_SIZE (500)
 */
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 500);
const ROOT = join(__dirname, '../..');

const EXTRA_POLICIES = [
  {
    name: 'No side letters',
    severity: 'MEDIUM',
    kind: 'FORBIDDEN_TERM',
    params: { terms: ['side letter', 'off the record'], caseSensitive: false },
    categories: [],
  },
  {
    name: 'Contracts name the governing law',
    severity: 'LOW',
    kind: 'REQUIRED_TERM',
    params: { terms: ['governing law'], caseSensitive: false, match: 'ALL' },
    categories: ['contract'],
  },
  {
    name: 'Seven-year retention',
    severity: 'LOW',
    kind: 'RETENTION',
    params: { maxAgeDays: 2555, exemptTags: ['legal-hold'] },
    categories: [],
  },
  {
    name: 'Confidently classified',
    severity: 'INFO',
    kind: 'CLASSIFICATION',
    params: {
      categories: ['contract', 'invoice', 'policy', 'report', 'correspondence', 'other'],
      minConfidence: 0.5,
    },
    categories: [],
  },
  {
    name: 'E-mail and phone numbers',
    severity: 'LOW',
    kind: 'PII',
    params: { types: ['EMAIL', 'PHONE'], phoneRegion: 'US' },
    categories: ['correspondence'],
  },
];

/** 100,000 documents in one INSERT … SELECT: varied text, some with PII, terms, expiry dates. */
async function generate(sql: Client, organizationId: string): Promise<void> {
  await sql.query(`INSERT INTO compliance.organizations (organization_id) VALUES ($1)`, [
    organizationId,
  ]);
  for (const p of [...DEFAULT_POLICIES, ...EXTRA_POLICIES])
    await sql.query(
      `INSERT INTO compliance.policies (organization_id, name, severity, kind, params, categories) VALUES ($1, $2, $3, $4, $5, $6)`,
      [organizationId, p.name, p.severity, p.kind, JSON.stringify(p.params), p.categories],
    );
  await sql.query(
    `INSERT INTO compliance.documents (document_id, organization_id, title, category, category_confidence, tags,
       facts, expires_on, text, created_at, processed_at, event_at)
     SELECT gen_random_uuid(), $1, 'Document ' || i,
       (ARRAY['contract','invoice','policy','report','correspondence','other'])[1 + i % 6],
       0.3 + (i % 70) / 100.0,
       CASE WHEN i % 50 = 0 THEN ARRAY['legal-hold'] ELSE ARRAY[]::text[] END,
       jsonb_build_object('parties', CASE WHEN i % 9 = 0 THEN '[]'::jsonb ELSE '["Acme Corp","Globex Ltd"]'::jsonb END,
         'effectiveDate', '2025-01-01', 'expiryDate', to_char(current_date + (i % 400) - 30, 'YYYY-MM-DD'),
         'amounts', '[]'::jsonb, 'dates', '[]'::jsonb, 'emails', '[]'::jsonb, 'other', null),
       current_date + (i % 400) - 30,
       'This Agreement is made between Acme Corp and Globex Ltd for the supply of services number ' || i || '. '
         || 'The supplier shall deliver the services described in Schedule 1 with reasonable skill and care. '
         || CASE WHEN i % 3 = 0 THEN 'Governing law: the laws of England and Wales. ' ELSE '' END
         || CASE WHEN i % 20 = 0 THEN 'Deposit charged to card 4111 1111 1111 1111. ' ELSE '' END
         || CASE WHEN i % 33 = 0 THEN 'Pay to IBAN GB82 WEST 1234 5698 7654 32. ' ELSE '' END
         || CASE WHEN i % 41 = 0 THEN 'As agreed in the side letter of March. ' ELSE '' END
         || CASE WHEN i % 7 = 0 THEN 'Contact jane.doe@acme-corp.com or (415) 555-2671. ' ELSE '' END
         || 'Invoices are payable within 30 days of receipt. Either party may terminate on 90 days notice in writing. '
         || 'Each party shall keep the other party''s confidential information secret and use it only for this agreement. '
         || 'Reference ' || md5(i::text) || '.',
       now() - ((i % 3000) || ' days')::interval, now(), now()
     FROM generate_series(1, $2) AS i`,
    [organizationId, DOCUMENTS],
  );
  await sql.query(`ANALYZE compliance.documents`);
}

interface WorkerProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
}

function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'worker.ts')],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.ready) resolve({ child, lines });
      } catch {
        // not ours
      }
    });
  });
}

async function stopWorker(w: WorkerProcess): Promise<number> {
  w.child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    w.child.once('exit', () => resolve());
    w.child.kill('SIGTERM');
  });
  return Number(w.lines.find((l) => 'maxRssMb' in l)?.maxRssMb ?? NaN);
}

async function main(): Promise<void> {
  const databaseUrl = await freshBenchDatabase('docent_bench_compliance');
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  const organizationId = randomUUID();
  const started = Date.now();
  await generate(sql, organizationId);
  const generatedIn = (Date.now() - started) / 1000;
  const [{ size }] = (
    await sql.query(`SELECT pg_size_pretty(pg_total_relation_size('compliance.documents')) AS size`)
  ).rows;
  console.log(
    `generated ${DOCUMENTS.toLocaleString('en')} documents (${size}) in ${generatedIn.toFixed(1)} s`,
  );

  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `bench-compliance-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-that-is-long-enough-0123456789',
    COMPLIANCE_BATCH_SIZE: String(BATCH_SIZE),
    COMPLIANCE_CONCURRENCY: String(CONCURRENCY),
    DATABASE_POOL_SIZE: String(Math.max(4, CONCURRENCY + 1)),
    DATABASE_STATEMENT_TIMEOUT_MS: '120000',
    LOG_LEVEL: 'warn',
  };
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(env)));
  const redis = createRedis('redis://127.0.0.1:6379');
  const queue = new ComplianceQueue(redis, env.REDIS_PREFIX);
  try {
    const policies = DEFAULT_POLICIES.length + EXTRA_POLICIES.length;
    // Two daily ticks: the first opens every finding (inserts + outbox events), the second is the
    // steady state (the same verdicts: compared, nothing written but the run's counts).
    for (const [tick, label] of [
      ['bench-tick-1', 'first full run (opens every finding)'],
      ['bench-tick-2', 'second full run (steady state)'],
    ] as const) {
      const started = Date.now();
      // What the daily job scheduler adds on its tick.
      await queue.queue.add(
        ComplianceJob.ScheduleRuns,
        { scope: 'ALL', trigger: 'schedule:daily' },
        { jobId: tick },
      );
      let run: Record<string, number | string | null> | undefined;
      for (;;) {
        run = (
          await sql.query(
            `SELECT documents_checked, findings_opened, findings_resolved, batch_count, finished_at
             FROM compliance.compliance_runs WHERE organization_id = $1 AND run_key LIKE $2`,
            [organizationId, `%${tick}`],
          )
        ).rows[0];
        if (run?.finished_at) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        [
          `${label}: ${Number(run!.documents_checked).toLocaleString('en')} documents × ${policies} policies in ${seconds.toFixed(1)} s`,
          `  ${Math.round(Number(run!.documents_checked) / seconds).toLocaleString('en')} documents evaluated per second`,
          `  ${WORKERS} worker process(es) × concurrency ${CONCURRENCY}, ${run!.batch_count} batches of ${BATCH_SIZE}`,
          `  findings opened ${Number(run!.findings_opened).toLocaleString('en')}, resolved ${Number(run!.findings_resolved).toLocaleString('en')}`,
        ].join('\n'),
      );
    }
    const rss = [];
    for (const w of workers) rss.push(await stopWorker(w));
    console.log(
      `worker peak RSS (maxRSS, over both runs): ${rss.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`,
    );
  } finally {
    await Promise.all(workers.filter((w) => w.child.exitCode === null).map(stopWorker));
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    await sql.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
