// Sign-in throttling that an attacker cannot turn against the owner: failures count per (email, address) with
// exponential backoff, and per address (a budget ten times larger, against one address trying many accounts).
// The right password from another address always gets its turn; there is no account-wide lock.
import { isForgotten, pairRetryInMs, type BackoffPolicy, type PairState } from '../domain/sign-in-backoff.ts';
import { createThrottle } from './throttle.ts';

/** Pairs kept at most; past it the least recently failed are dropped (an address rotation cannot fill memory). */
const MAX_PAIRS = 100_000;

export interface SignInLimiter {
  /** Seconds to wait before this email may be tried from this address (0: go ahead). */
  retryAfter(email: string, address: string, now: number): number;
  recordFailure(email: string, address: string, now: number): void;
  /** The right password: this pair starts afresh (the address's count stays). */
  recordSuccess(email: string, address: string): void;
}

export function createSignInLimiter(options: { maxAttempts: number; windowMs: number }): SignInLimiter {
  const policy: BackoffPolicy = { freeFailures: options.maxAttempts, maxWaitMs: options.windowMs };
  const pairs = new Map<string, PairState>();
  const addresses = createThrottle({ maxAttempts: options.maxAttempts * 10, windowMs: options.windowMs });
  // Emails are case-insensitive; a newline cannot be in either part, so the key is unambiguous.
  const keyOf = (email: string, address: string) => `${email.toLowerCase()}\n${address}`;

  function current(key: string, now: number): PairState | undefined {
    const state = pairs.get(key);
    if (state && isForgotten(state, now, policy)) {
      pairs.delete(key);
      return undefined;
    }
    return state;
  }

  function makeRoom(now: number) {
    if (pairs.size < MAX_PAIRS) return;
    for (const [key, state] of pairs) if (isForgotten(state, now, policy)) pairs.delete(key);
    // Map order is insertion order and a failure re-inserts its pair: the first ones failed longest ago.
    for (const key of pairs.keys()) {
      if (pairs.size < MAX_PAIRS) break;
      pairs.delete(key);
    }
  }

  return {
    retryAfter(email, address, now) {
      const pairWaitMs = pairRetryInMs(current(keyOf(email, address), now), now, policy);
      const pairWait = pairWaitMs > 0 ? Math.max(1, Math.ceil(pairWaitMs / 1000)) : 0;
      return Math.max(pairWait, addresses.retryAfter(address, now));
    },
    recordFailure(email, address, now) {
      const key = keyOf(email, address);
      const failures = (current(key, now)?.failures ?? 0) + 1;
      pairs.delete(key);
      makeRoom(now);
      pairs.set(key, { failures, lastFailureAt: now });
      addresses.recordFailure(address, now);
    },
    recordSuccess(email, address) {
      pairs.delete(keyOf(email, address));
    },
  };
}
