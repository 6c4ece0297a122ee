// The lifecycle of an invitation link: pending until accepted, revoked or past its expiry.
export const INVITE_LIFETIME_DAYS = 7;

export type InviteStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface InviteState {
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export function inviteStatus(invite: InviteState, now: Date): InviteStatus {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

export function inviteExpiry(now: Date, days: number = INVITE_LIFETIME_DAYS): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}
