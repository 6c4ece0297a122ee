import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSession,
  newSessionExpiry,
  SESSION_LIFETIME_MS,
  SESSION_RENEW_WITHIN_MS,
} from '../../../../server/auth/session-policy.ts';

const DAY = 24 * 60 * 60 * 1000;
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('session expiry', () => {
  it('gives a new session 30 days', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(newSessionExpiry(now).toISOString()).toBe('2026-12-24T12:00:00.000Z');
    expect(SESSION_LIFETIME_MS).toBe(30 * DAY);
  });

  it('keeps a fresh session as it is', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(checkSession(newSessionExpiry(now), new Date(now.getTime() + 14 * DAY))).toEqual({ kind: 'valid' });
  });

  it('renews a session with less than 15 days left to a full 30 days from now', () => {
    const created = new Date('2026-11-24T12:00:00Z');
    const later = new Date(created.getTime() + 16 * DAY);
    expect(checkSession(newSessionExpiry(created), later)).toEqual({
      kind: 'renew',
      expiresAt: newSessionExpiry(later),
    });
  });

  it('expires at the expiry instant exactly', () => {
    const expiresAt = new Date('2026-12-24T12:00:00Z');
    expect(checkSession(expiresAt, expiresAt)).toEqual({ kind: 'expired' });
    expect(checkSession(expiresAt, new Date(expiresAt.getTime() - 1)).kind).toBe('renew');
  });

  it('is expired exactly when now has reached the expiry, and a renewal always lands in the future', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -60 * DAY, max: 60 * DAY }), (nowMs, offset) => {
        const now = new Date(nowMs);
        const expiresAt = new Date(nowMs + offset);
        const check = checkSession(expiresAt, now);
        expect(check.kind === 'expired').toBe(offset <= 0);
        if (check.kind === 'renew') {
          expect(offset).toBeLessThan(SESSION_RENEW_WITHIN_MS);
          expect(check.expiresAt.getTime()).toBe(nowMs + SESSION_LIFETIME_MS);
          expect(check.expiresAt.getTime()).toBeGreaterThan(expiresAt.getTime());
        }
        if (check.kind === 'valid') expect(offset).toBeGreaterThanOrEqual(SESSION_RENEW_WITHIN_MS);
      }),
    );
  });
});
