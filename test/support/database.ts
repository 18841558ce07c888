import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Test databases live on the configured server under one prefix, with their creation time in
 * the name: concurrent test runs never touch each other's, and leftovers of interrupted runs
 * are dropped once they are old.
 */
const TEST_PREFIX = 'docent_test_';
const LEFTOVER_AGE_MS = 2 * 60 * 60 * 1000;

function testDatabaseName(kind: 'tpl' | 'db'): string {
  return `${TEST_PREFIX}${kind}_${Date.now()}_${randomBytes(4).toString('hex')}`;
}

/** The migrated template of this run, named by the jest global setup. */
export function templateDatabase(): string {
  const name = process.env.DOCENT_TEST_TEMPLATE;
  if (!name)
    throw new Error(
      'DOCENT_TEST_TEMPLATE is unset: run the integration tests through jest (its globalSetup builds the template)',
    );
  return name;
}

export function newTemplateName(): string {
  return testDatabaseName('tpl');
}

export function serverUrl(database = 'postgres'): string {
  const url = new URL(
    process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * A fresh, fully migrated database for one test file, cloned from the migrated template
 * (a file copy on the server: tens of milliseconds, whatever the number of migrations).
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = testDatabaseName('db');
  await withAdmin((client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`),
  );
  return { url: serverUrl(name), drop: () => dropDatabase(name) };
}

/** Databases left behind by interrupted runs, once they are old enough not to be in use. */
export async function dropLeftoverTestDatabases(): Promise<void> {
  const { rows } = await withAdmin((client) =>
    client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_PREFIX}%`,
    ]),
  );
  for (const { datname } of rows) {
    const created = Number(/_(\d{13})_/.exec(datname)?.[1] ?? 0);
    if (Date.now() - created > LEFTOVER_AGE_MS) await dropDatabase(datname);
  }
}
