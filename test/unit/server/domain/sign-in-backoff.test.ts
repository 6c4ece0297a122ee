import { describe, expect, it } from 'vitest';
import { backoffWaitMs, isForgotten, pairRetryInMs } from '../../../../server/domain/sign-in-backoff.ts';

const policy = { freeFailures: 5, maxWaitMs: 900_000 };

describe('sign-in backoff', () => {
  it('is free for the first failures, then doubles from one second up to the cap', () => {
    expect([0, 4, 5, 6, 7, 14, 15, 1000].map((failures) => backoffWaitMs(failures, policy))).toEqual([
      0, 0, 1000, 2000, 4000, 512_000, 900_000, 900_000,
    ]);
  });

  it('counts the wait from the last failure', () => {
    const state = { failures: 6, lastFailureAt: 10_000 };
    expect(pairRetryInMs(undefined, 10_000, policy)).toBe(0);
    expect(pairRetryInMs(state, 10_500, policy)).toBe(1500);
    expect(pairRetryInMs(state, 12_000, policy)).toBe(0);
  });

  it('forgets a pair once its wait has been over for the cap', () => {
    const state = { failures: 6, lastFailureAt: 0 };
    expect(isForgotten(state, 2000 + 899_999, policy)).toBe(false);
    expect(isForgotten(state, 2000 + 900_000, policy)).toBe(true);
  });
});
