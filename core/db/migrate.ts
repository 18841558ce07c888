import { Client } from 'pg';
import type { Logger } from '../logging/logger';
import { createSubgraphDataSource } from './data-source';

export interface MigratableSubgraph {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Two processes may race to create it; the loser finds it there.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Runs every subgraph's checked-in migrations, each subgraph in its own schema with its own
 * migrations table. Idempotent; an advisory lock keeps concurrent starts from racing.
 */
export async function migrateAll(
  url: string,
  subgraphs: MigratableSubgraph[],
  logger?: Logger,
): Promise<void> {
  await ensureDatabase(url);
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['docent:migrate']);
    for (const subgraph of subgraphs) {
      await lock.query(`CREATE SCHEMA IF NOT EXISTS "${subgraph.name}"`);
      const dataSource = createSubgraphDataSource({
        url,
        schema: subgraph.name,
        entities: subgraph.entities,
        migrations: subgraph.migrations,
        poolSize: 2,
      });
      await dataSource.initialize();
      try {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        logger?.info(
          { subgraph: subgraph.name, applied: applied.map((m) => m.name) },
          'migrations applied',
        );
      } finally {
        await dataSource.destroy();
      }
    }
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock(hashtext($1))', ['docent:migrate'])
      .catch(() => undefined);
    await lock.end();
  }
}
