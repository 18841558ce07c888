/**
 * Every BullMQ queue name, in one place (STYLE.md). Domains add their queues here with the
 * processors that serve them (workers/processors.ts).
 */
export const QueueName = {} as const;
