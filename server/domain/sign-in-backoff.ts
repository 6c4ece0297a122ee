// How long a (account, address) pair waits after failed sign-ins: the first few are free, then each failure
// doubles the wait, up to a cap. Only the pair waits, so someone else's failures never lock the owner out.

export interface BackoffPolicy {
  /** Failures before the first wait. */
  readonly freeFailures: number;
  /** The longest wait, in milliseconds; also how long a pair is remembered after its wait is over. */
  readonly maxWaitMs: number;
}

/** Milliseconds to wait after the last failure, once a pair has failed `failures` times in a row. */
export function backoffWaitMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  // 1 s after the last free failure, then 2 s, 4 s, … (the exponent is bounded so the number stays finite).
  const exponent = Math.min(failures - policy.freeFailures, 40);
  return Math.min(1000 * 2 ** exponent, policy.maxWaitMs);
}

/** A pair's state: consecutive failures and when the last one was (epoch ms). */
export interface PairState {
  readonly failures: number;
  readonly lastFailureAt: number;
}

/** Milliseconds until the pair may try again (0: now). */
export function pairRetryInMs(state: PairState | undefined, now: number, policy: BackoffPolicy): number {
  if (!state) return 0;
  return Math.max(0, state.lastFailureAt + backoffWaitMs(state.failures, policy) - now);
}

/** A pair whose wait ended more than `maxWaitMs` ago starts again from nothing. */
export function isForgotten(state: PairState, now: number, policy: BackoffPolicy): boolean {
  return now - state.lastFailureAt >= backoffWaitMs(state.failures, policy) + policy.maxWaitMs;
}
