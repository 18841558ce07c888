/** Messages between the realtime bench and its subscriber processes. */
export type ToSubscribers =
  | { kind: 'open'; url: string; query: string; tokens: string[]; perSecond: number }
  | { kind: 'close' };

export type FromSubscribers =
  | { kind: 'opened'; subscribed: number; failed: number }
  | { kind: 'receipts'; receipts: [title: string, atMs: number][] }
  | { kind: 'error'; message: string };

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
