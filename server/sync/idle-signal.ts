// What both board sinks (BoardWriter for one process, SharedBoard for several) need to drain: waiting, with a
// deadline, until nothing is pending; and the backoff before retrying a failed write.
export class IdleSignal {
  #waiters: (() => void)[] = [];

  /** Resolves at the next `notify`; rejects with `error()` if none comes within `timeoutMs`. */
  wait(timeoutMs: number, error: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        reject(error());
      }, timeoutMs);
      const done = () => {
        clearTimeout(timeout);
        resolve();
      };
      this.#waiters.push(done);
    });
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

const MAX_BACKOFF_MS = 5_000;

/** 100 ms after the first failure, doubling up to 5 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 50 * 2 ** Math.min(failures, 10));
}
