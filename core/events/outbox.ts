import type { EntityManager } from 'typeorm';
import { jobTrace } from '../observability/tracing';
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
 * The columns that carry the request id and W3C traceparent of the request (or job) that wrote
 * an event, so the relay hands them on to the consumers' jobs; each writer's migration adds them.
 */
export function addOutboxTraceColumnsSql(schema: string): string {
  return `ALTER TABLE ${table(schema)} ADD COLUMN request_id text, ADD COLUMN traceparent text`;
}

export function dropOutboxTraceColumnsSql(schema: string): string {
  return `ALTER TABLE ${table(schema)} DROP COLUMN request_id, DROP COLUMN traceparent`;
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
  const [id] = await appendManyToOutbox(manager, schema, [event]);
  return id;
}

/**
 * Records many events in one statement (a compliance batch can open thousands of findings), in
 * the transaction that makes the change, each with the request id and traceparent of the request
 * or job that runs it; one NOTIFY wakes the relay (it also polls, so a lost one only delays).
 */
export async function appendManyToOutbox(
  manager: EntityManager,
  schema: string,
  events: DomainEvent[],
): Promise<string[]> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside the transaction that makes the change');
  }
  if (events.length === 0) return [];
  const trace = jobTrace();
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO ${table(schema)} (organization_id, type, aggregate_id, payload, request_id, traceparent)
     SELECT o, t, a, p, $5, $6 FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[]) AS e(o, t, a, p)
     RETURNING id`,
    [
      events.map((e) => e.organizationId),
      events.map((e) => e.type),
      events.map((e) => e.aggregateId),
      events.map((e) => JSON.stringify(e.payload)),
      trace.requestId ?? null,
      trace.traceparent ?? null,
    ],
  );
  await manager.query(`SELECT pg_notify('docent_outbox', $1)`, [schema]);
  return rows.map((row) => row.id);
}
