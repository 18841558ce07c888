import 'reflect-metadata';
import { migrateAll } from '../../core/db/migrate';
import { SUBGRAPHS } from '../../ops/subgraphs';
import { dropLeftoverTestDatabases, serverUrl, TEMPLATE_DATABASE, withAdmin } from './database';

/** Builds the migrated template that every test file clones its database from. */
export default async function globalSetup(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  await dropLeftoverTestDatabases();
  await withAdmin((client) =>
    client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`),
  );
  await migrateAll(serverUrl(TEMPLATE_DATABASE), SUBGRAPHS);
}
