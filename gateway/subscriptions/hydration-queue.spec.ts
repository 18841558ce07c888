import { HydrationQueue } from './hydration-queue';

describe('HydrationQueue', () => {
  it('runs at most `concurrency` tasks at once, starting them in arrival order', async () => {
    const queue = new HydrationQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((n) =>
      queue.run(async () => {
        started.push(n);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return n * 10;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(queue.pending).toBe(3);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await expect(Promise.all(tasks)).resolves.toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('a failing task frees its slot for the next one', async () => {
    const queue = new HydrationQueue(1);
    const failed = queue.run(async () => {
      throw new Error('subgraph down');
    });
    const next = queue.run(async () => 'ran');
    await expect(failed).rejects.toThrow('subgraph down');
    await expect(next).resolves.toBe('ran');
    expect(queue.pending).toBe(0);
  });
});
