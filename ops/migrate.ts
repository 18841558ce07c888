import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '../core/config/config';
import { migrateAll } from '../core/db/migrate';
import { createLogger } from '../core/logging/logger';
import { SUBGRAPHS } from './subgraphs';

/** `npm run db:migrate`: creates the database if needed and applies every subgraph's migrations. */
async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger('migrate', config.LOG_LEVEL);
  await migrateAll(config.DATABASE_URL, SUBGRAPHS, logger);
  logger.info('database is up to date');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
