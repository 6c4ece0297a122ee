import { describe, expect, it } from 'vitest';
import { createThrottle } from '../../../../server/auth/throttle.ts';

describe('login throttle', () => {
  const options = { maxAttempts: 3, windowMs: 60_000 };

  it('allows attempts until the budget is spent, then says how long to wait', () => {
    const throttle = createThrottle(options);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('ana@example.com', t0)).toBe(0);
      throttle.recordFailure('ana@example.com', t0);
    }
    expect(throttle.retryAfter('ana@example.com', t0)).toBe(60);
    expect(throttle.retryAfter('ana@example.com', t0 + 59_500)).toBe(1);
    expect(throttle.retryAfter('ana@example.com', t0 + 60_000)).toBe(0);
  });

  it('keeps keys apart', () => {
    const throttle = createThrottle(options);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 0);
    expect(throttle.retryAfter('a', 0)).toBeGreaterThan(0);
    expect(throttle.retryAfter('b', 0)).toBe(0);
  });

  it('forgets failures after a success resets the key', () => {
    const throttle = createThrottle(options);
    throttle.recordFailure('a', 0);
    throttle.recordFailure('a', 0);
    throttle.reset('a');
    throttle.recordFailure('a', 0);
    expect(throttle.retryAfter('a', 0)).toBe(0);
  });

  it('starts a fresh window after the old one has passed', () => {
    const throttle = createThrottle(options);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 0);
    throttle.recordFailure('a', 70_000);
    expect(throttle.retryAfter('a', 70_000)).toBe(0);
  });
});
