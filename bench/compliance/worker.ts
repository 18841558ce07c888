import 'reflect-metadata';
import { loadConfig } from '../../core/config/config';
import { createLogger } from '../../core/logging/logger';
import { startComplianceWorker } from '../../subgraphs/compliance/jobs/compliance.worker';

/**
 * One compliance worker process for the bench: only the compliance queue, so its peak memory is
 * the evaluation's. On SIGTERM it drains, then prints its RSS high-water mark as one JSON line.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('bench-compliance-worker', 'warn');
  const worker = await startComplianceWorker(config, logger);
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.once('SIGTERM', () => {
    void worker.stop().then(() => {
      // Linux reports maxRSS in kilobytes.
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      process.stdout.write(`${JSON.stringify({ maxRssMb })}\n`);
      process.exit(0);
    });
  });
}

void main();
