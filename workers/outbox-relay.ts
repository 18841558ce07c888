import { Client, Pool, type PoolClient } from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logging/logger';
import { eventChannel } from '../core/events/channels';
import type { RelayedEvent } from '../core/events/relayed-event';

const BATCH = 100;

export interface OutboxRelayOptions {
  databaseUrl: string;
  redis: Redis;
  redisPrefix: string;
  /** Schemas whose `outbox` table the relay drains. */
  schemas: string[];
  pollIntervalMs: number;
  logger: Logger;
  /**
   * Durable consumers' queue (BullMQ `events`, job id = event id). Enqueued after the publish
   * and before the rows are marked: a failure rolls the batch back and it is sent again.
   */
  durable?: { enqueue: (events: RelayedEvent[]) => Promise<void> };
}

/**
 * Publishes committed outbox events to Redis pub/sub on organization-scoped channels, then
 * marks them published. Woken by LISTEN/NOTIFY, with polling as the fallback; rows are claimed
 * with SKIP LOCKED so several relays can run. Redis being down delays events, loses none:
 * a batch whose publish fails is rolled back and tried again.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: 2,
      connectionTimeoutMillis: 5_000,
    });
    this.pool.on('error', (error) =>
      options.logger.warn({ err: error }, 'outbox pool client failed'),
    );
  }

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.wake();
  }

  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.options.databaseUrl });
    listener.on('notification', () => this.wake());
    listener.on('error', (error) => {
      this.options.logger.warn({ err: error }, 'outbox listener lost; polling until it is back');
      this.listener = null;
      if (!this.stopped) setTimeout(() => this.listen().catch(() => undefined), 1_000);
    });
    await listener.connect();
    await listener.query('LISTEN docent_outbox');
    this.listener = listener;
  }

  /** Drains now, or right after the drain in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drainAll()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'outbox relay pass failed; will retry'),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drainAll(): Promise<void> {
    for (const schema of this.options.schemas) {
      while ((await this.drainBatch(schema)) === BATCH);
    }
  }

  private async drainBatch(schema: string): Promise<number> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        id: string;
        organization_id: string;
        type: string;
        aggregate_id: string;
        payload: unknown;
        created_at: Date;
        request_id: string | null;
        traceparent: string | null;
      }>(
        `SELECT id, organization_id, type, aggregate_id, payload, created_at, request_id, traceparent
           FROM "${schema}".outbox
          WHERE published_at IS NULL ORDER BY created_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const pipeline = this.options.redis.pipeline();
      const events: RelayedEvent[] = [];
      const publishedAt = new Date().toISOString();
      for (const row of rows) {
        const event = {
          id: row.id,
          type: row.type as RelayedEvent['type'],
          organizationId: row.organization_id,
          aggregateId: row.aggregate_id,
          payload: row.payload as Record<string, unknown>,
          occurredAt: row.created_at.toISOString(),
          publishedAt,
          ...(row.request_id ? { requestId: row.request_id } : {}),
          ...(row.traceparent ? { traceparent: row.traceparent } : {}),
        };
        events.push(event);
        pipeline.publish(
          eventChannel(this.options.redisPrefix, row.organization_id),
          JSON.stringify(event),
        );
      }
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('Redis pipeline did not run');
      await this.options.durable?.enqueue(events);
      await client.query(
        `UPDATE "${schema}".outbox SET published_at = now() WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      await client.query('COMMIT');
      this.options.logger.debug({ schema, published: rows.length }, 'outbox events published');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
