// At most a few argon2 computations at once (each takes ~19 MiB and a core for tens of milliseconds); the rest
// wait in a bounded queue, and beyond it the request is refused (503) instead of piling up memory and latency.

export class HashQueueFullError extends Error {
  constructor() {
    super('Too many password checks are waiting');
  }
}

export interface HashQueue {
  /** Runs `task` when a slot is free; rejects with HashQueueFullError when `maxWaiting` are already waiting. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now and the most that ever ran at once (for tests and logs). */
  stats(): { running: number; waiting: number; peakRunning: number };
}

export function createHashQueue(options: { concurrency: number; maxWaiting: number }): HashQueue {
  let running = 0;
  let peakRunning = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async run(task) {
      if (running >= options.concurrency) {
        if (waiting.length >= options.maxWaiting) throw new HashQueueFullError();
        // The releasing task hands its slot over directly, so `running` never passes the bound.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      peakRunning = Math.max(peakRunning, running);
      try {
        return await task();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length, peakRunning }),
  };
}
