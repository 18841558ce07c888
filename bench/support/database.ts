import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../core/db/data-source';
import { migrateAll } from '../../core/db/migrate';
import { SUBGRAPHS } from '../../ops/subgraphs';

const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** The URL of a bench's database on the bench server (BENCH_DATABASE_SERVER). */
export function benchDatabaseUrl(name: string): string {
  return `${SERVER}/${name}`;
}

/**
 * The search schema of a bench database, opened for what the bench reads and runs itself
 * (indexing, training, evaluation); no entities, no migrations.
 */
export async function openBenchSearchDataSource(
  url: string,
  options: { poolSize?: number; statementTimeoutMs?: number } = {},
): Promise<DataSource> {
  const dataSource = createSubgraphDataSource({
    url,
    schema: 'search',
    entities: [],
    migrations: [],
    poolSize: options.poolSize ?? 4,
    statementTimeoutMs: options.statementTimeoutMs,
  });
  await dataSource.initialize();
  return dataSource;
}

/** A bench's own database, dropped and migrated afresh on every run; answers its URL. */
export async function freshBenchDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const url = benchDatabaseUrl(name);
  await migrateAll(url, SUBGRAPHS);
  return url;
}
