import 'reflect-metadata';
import { migrateAll } from '../../core/db/migrate';
import { SUBGRAPHS } from '../../ops/subgraphs';
import { dropLeftoverTestDatabases, newTemplateName, serverUrl } from './database';

/**
 * Builds this run's migrated template, which every test file clones its database from. The
 * name reaches the test workers through the environment they inherit.
 */
export default async function globalSetup(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  await dropLeftoverTestDatabases();
  const template = newTemplateName();
  await migrateAll(serverUrl(template), SUBGRAPHS);
  process.env.DOCENT_TEST_TEMPLATE = template;
}
