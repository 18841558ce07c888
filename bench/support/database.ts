import { Client } from 'pg';
import { migrateAll } from '../../core/db/migrate';
import { SUBGRAPHS } from '../../ops/subgraphs';

const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** A bench's own database, dropped and migrated afresh on every run; answers its URL. */
export async function freshBenchDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const url = `${SERVER}/${name}`;
  await migrateAll(url, SUBGRAPHS);
  return url;
}
