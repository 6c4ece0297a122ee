import { describe, expect, it } from 'vitest';
import { inviteExpiry, inviteStatus } from '../../../../server/domain/invites.ts';

const now = new Date('2026-11-24T10:00:00Z');
const future = new Date('2026-11-30T10:00:00Z');

describe('inviteStatus', () => {
  it('is pending before its expiry', () => {
    expect(inviteStatus({ expiresAt: future, acceptedAt: null, revokedAt: null }, now)).toBe('pending');
  });
  it('is expired from its expiry instant on', () => {
    expect(inviteStatus({ expiresAt: now, acceptedAt: null, revokedAt: null }, now)).toBe('expired');
  });
  it('stays accepted after it expires', () => {
    expect(inviteStatus({ expiresAt: now, acceptedAt: now, revokedAt: null }, future)).toBe('accepted');
  });
  it('is revoked when revoked', () => {
    expect(inviteStatus({ expiresAt: future, acceptedAt: null, revokedAt: now }, now)).toBe('revoked');
  });
  it('expires seven days after creation by default', () => {
    expect(inviteExpiry(now).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});
