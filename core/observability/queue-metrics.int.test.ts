import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../redis/redis';
import { registry } from './metrics';
import { observeWorker, reportQueueDepth } from './queue-metrics';

/** Queue depth and job durations in the worker role's /metrics, on real Redis and BullMQ. */
const prefix = `test-metrics-${randomBytes(4).toString('hex')}:bull`;
const connection = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  forWorkers: true,
});

afterAll(async () => {
  const keys = await connection.keys(`${prefix}:*`);
  if (keys.length) await connection.del(...keys);
  connection.disconnect();
});

async function metric(name: string, labels: Record<string, string>): Promise<number | null> {
  const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (
    found?.values as { labels: Record<string, unknown>; value: number; metricName?: string }[]
  )?.find(
    (v) =>
      (v.metricName ?? name) === (name.endsWith('_seconds') ? `${name}_count` : name) &&
      Object.entries(labels).every(([key, expected]) => v.labels[key] === expected),
  );
  return value ? value.value : null;
}

it('reports each queue’s depth by state when scraped, and times finished jobs by queue and name', async () => {
  const waiting = new Queue('depth-probe', { connection, prefix });
  await waiting.add('later', {}, { delay: 60_000 });
  await waiting.add('now-1', {});
  await waiting.add('now-2', {});
  const stopDepth = reportQueueDepth(['depth-probe'], connection, prefix);
  expect(await metric('worker_queue_jobs', { queue: 'depth-probe', state: 'waiting' })).toBe(2);
  expect(await metric('worker_queue_jobs', { queue: 'depth-probe', state: 'delayed' })).toBe(1);

  const work = new Queue('timed-probe', { connection, prefix });
  const worker = new Worker(
    'timed-probe',
    async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (job.name === 'breaks') throw new Error('broken on purpose');
    },
    { connection, prefix },
  );
  observeWorker(worker);
  const settled = new Promise<void>((resolve) => {
    let seen = 0;
    const done = () => (++seen === 3 ? resolve() : undefined);
    worker.on('completed', done);
    worker.on('failed', done);
  });
  await work.add('extract', {});
  await work.add('extract', {});
  await work.add('breaks', {});
  await settled;
  expect(
    await metric('worker_job_duration_seconds', {
      queue: 'timed-probe',
      job: 'extract',
      outcome: 'completed',
    }),
  ).toBe(2);
  expect(
    await metric('worker_job_duration_seconds', {
      queue: 'timed-probe',
      job: 'breaks',
      outcome: 'failed',
    }),
  ).toBe(1);
  // The text a Prometheus scrape reads carries both families.
  const text = await registry.metrics();
  expect(text).toMatch(/worker_queue_jobs\{queue="depth-probe",state="waiting"\} 2/);
  const sum =
    /worker_job_duration_seconds_sum\{queue="timed-probe",job="extract",outcome="completed"\} ([\d.e-]+)/.exec(
      text,
    );
  // Two attempts of at least 30 ms each.
  expect(Number(sum?.[1])).toBeGreaterThanOrEqual(0.06);

  await worker.close();
  await stopDepth();
  await work.close();
  await waiting.close();
});
