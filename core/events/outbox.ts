import type { EntityManager } from 'typeorm';
import type { DomainEvent } from './catalogue';

const SCHEMA_NAME = /^[a-z_]+$/;

function table(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name ${schema}`);
  return `"${schema}".outbox`;
}

/** The outbox table of a writer's schema; its migration calls this. */
export function createOutboxTableSql(schema: string): string[] {
  return [
    `CREATE TABLE ${table(schema)} (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       organization_id uuid NOT NULL,
       type text NOT NULL,
       aggregate_id uuid NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz(3) NOT NULL DEFAULT now(),
       published_at timestamptz(3)
     )`,
    `CREATE INDEX outbox_unpublished ON ${table(schema)} (created_at, id) WHERE published_at IS NULL`,
  ];
}

/**
 * Records an event in the same transaction as the change it announces: pass the
 * transaction's EntityManager, never a fresh connection. The relay publishes it after commit.
 */
export async function appendToOutbox(
  manager: EntityManager,
  schema: string,
  event: DomainEvent,
): Promise<string> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside the transaction that makes the change');
  }
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO ${table(schema)} (organization_id, type, aggregate_id, payload) VALUES ($1, $2, $3, $4) RETURNING id`,
    [event.organizationId, event.type, event.aggregateId, JSON.stringify(event.payload)],
  );
  // Wakes the relay at once; it also polls, so a lost notification only delays.
  await manager.query(`SELECT pg_notify('docent_outbox', $1)`, [schema]);
  return rows[0].id;
}
