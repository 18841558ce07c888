import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RelayedEvent } from '../../core/events/relayed-event';
import { QueueName } from '../queues';

/** Completed jobs are kept a day so a re-added event id is still recognised and skipped. */
export const KEEP_COMPLETED = { age: 24 * 60 * 60, count: 100_000 };
export const KEEP_FAILED = { age: 7 * 24 * 60 * 60 };

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/**
 * The relay's side of the durable path: every event becomes one job of the `events` queue with
 * the event id as job id, so a batch enqueued twice (publish succeeded, commit did not) is one job.
 */
export class DurableEventQueue {
  private readonly queue: Queue;

  constructor(
    connection: Redis,
    redisPrefix: string,
    onError: (error: Error) => void = () => undefined,
  ) {
    this.queue = new Queue(QueueName.Events, {
      connection,
      prefix: bullPrefix(redisPrefix),
      defaultJobOptions: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      },
    });
    // Redis being down surfaces as a failed enqueue (the batch is retried); not as a crash.
    this.queue.on('error', onError);
  }

  async enqueue(events: RelayedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.queue.addBulk(
      events.map((event) => ({ name: event.type, data: event, opts: { jobId: event.id } })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
