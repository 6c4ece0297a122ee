// Sliding session expiry: 30 days from the last renewal, renewed once less than 15 days remain.
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_RENEW_WITHIN_MS = SESSION_LIFETIME_MS / 2;

export type SessionCheck =
  { readonly kind: 'expired' } | { readonly kind: 'valid' } | { readonly kind: 'renew'; readonly expiresAt: Date };

export function newSessionExpiry(now: Date): Date {
  return new Date(now.getTime() + SESSION_LIFETIME_MS);
}

export function checkSession(expiresAt: Date, now: Date): SessionCheck {
  const remaining = expiresAt.getTime() - now.getTime();
  if (remaining <= 0) return { kind: 'expired' };
  if (remaining < SESSION_RENEW_WITHIN_MS) return { kind: 'renew', expiresAt: newSessionExpiry(now) };
  return { kind: 'valid' };
}
