import { describe, expect, it } from 'vitest';
import { createHashQueue, HashQueueFullError } from '../../../../server/auth/hash-queue.ts';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, task: () => opened };
}

describe('createHashQueue', () => {
  it('runs at most `concurrency` tasks at once and the others in order as slots free up', async () => {
    const queue = createHashQueue({ concurrency: 2, maxWaiting: 10 });
    const gates = Array.from({ length: 6 }, gate);
    const order: number[] = [];
    const runs = gates.map((g, i) => queue.run(async () => (await g.task(), order.push(i))));
    expect(queue.stats()).toEqual({ running: 2, waiting: 4, peakRunning: 2 });
    for (const g of gates.reverse()) g.open();
    await Promise.all(runs);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0, peakRunning: 2 });
    expect(order.slice(2)).toEqual([2, 3, 4, 5]);
  });

  it('refuses a task when `maxWaiting` already wait, and frees the slot of a task that failed', async () => {
    const queue = createHashQueue({ concurrency: 1, maxWaiting: 1 });
    const first = gate();
    const running = queue.run(first.task);
    const waiting = queue.run(() => Promise.reject(new Error('argon2 failed')));
    await expect(queue.run(() => Promise.resolve(1))).rejects.toBeInstanceOf(HashQueueFullError);
    first.open();
    await running;
    await expect(waiting).rejects.toThrow('argon2 failed');
    await expect(queue.run(() => Promise.resolve(3))).resolves.toBe(3);
    expect(queue.stats().running).toBe(0);
  });
});
