/**
 * Runs hydrations first come, first served, at most `concurrency` at a time. A burst of events
 * (a bulk import, many organizations at once) would otherwise start every visibility group's
 * execution together: they all share the CPU and the subgraphs, so every subscriber waits for
 * the whole burst. In order, the first events are delivered first and the subgraphs see a
 * bounded load.
 */
export class HydrationQueue {
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(private readonly concurrency: number) {}

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next task (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
