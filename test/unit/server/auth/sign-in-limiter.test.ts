import { describe, expect, it } from 'vitest';
import { createSignInLimiter } from '../../../../server/auth/sign-in-limiter.ts';

describe('createSignInLimiter', () => {
  const options = { maxAttempts: 3, windowMs: 60_000 };

  it("never holds back an email at another address because of one address's failures", () => {
    const limiter = createSignInLimiter(options);
    for (let i = 0; i < 20; i++) limiter.recordFailure('Owner@Example.com', '198.51.100.1', i);
    expect(limiter.retryAfter('owner@example.com', '198.51.100.1', 20)).toBeGreaterThan(0);
    expect(limiter.retryAfter('owner@example.com', '203.0.113.5', 20)).toBe(0);
  });

  it('holds back an address that failed ten times the budget across emails, for every email', () => {
    const limiter = createSignInLimiter(options);
    for (let i = 0; i < 30; i++) limiter.recordFailure(`user${i}@example.com`, '198.51.100.1', 0);
    expect(limiter.retryAfter('new@example.com', '198.51.100.1', 0)).toBe(60);
    expect(limiter.retryAfter('new@example.com', '198.51.100.2', 0)).toBe(0);
  });

  it('starts a pair afresh after a success', () => {
    const limiter = createSignInLimiter(options);
    for (let i = 0; i < 3; i++) limiter.recordFailure('a@example.com', '198.51.100.1', 0);
    expect(limiter.retryAfter('a@example.com', '198.51.100.1', 0)).toBe(1);
    limiter.recordSuccess('a@example.com', '198.51.100.1');
    expect(limiter.retryAfter('a@example.com', '198.51.100.1', 0)).toBe(0);
  });
});
