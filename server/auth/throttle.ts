// Fixed-window attempt counter keyed by email or IP; tells how long until the next try is allowed.

/** Keys remembered at most. */
const MAX_KEYS = 100_000;

export interface Throttle {
  /** Seconds to wait if `key` is over its budget, or 0 when an attempt may proceed. */
  retryAfter(key: string, now?: number): number;
  recordFailure(key: string, now?: number): void;
  reset(key: string): void;
}

export function createThrottle(options: { maxAttempts: number; windowMs: number }): Throttle {
  const windows = new Map<string, { start: number; failures: number }>();

  function current(key: string, now: number) {
    const window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) return undefined;
    return window;
  }

  function prune(now: number) {
    if (windows.size < 10_000) return;
    for (const [key, window] of windows) {
      if (now - window.start >= options.windowMs) windows.delete(key);
    }
    // Still full (many addresses at once): forget the oldest windows rather than grow without bound.
    for (const key of windows.keys()) {
      if (windows.size < MAX_KEYS) break;
      windows.delete(key);
    }
  }

  return {
    retryAfter(key, now = Date.now()) {
      const window = current(key, now);
      if (!window || window.failures < options.maxAttempts) return 0;
      return Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000));
    },
    recordFailure(key, now = Date.now()) {
      prune(now);
      const window = current(key, now);
      if (window) window.failures += 1;
      else windows.set(key, { start: now, failures: 1 });
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
