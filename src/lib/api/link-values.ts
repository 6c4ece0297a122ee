// The shapes of the values a link carries (ids in page.params, tokens in the path or the query), checked before
// any request is built from them: a crafted link is told apart from a real one without asking the server.

/** Every id the server hands out is a UUID (gen_random_uuid() or crypto.randomUUID()). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Invite and share-link tokens: 20 random bytes as 32 lower-case base32 characters without padding
 * (server/auth/tokens.ts `generateToken`; server/http/shared.ts checks the same shape).
 */
const TOKEN = /^[a-z2-7]{32}$/;

export const INVALID_LINK = 'This link is not valid. Check that you copied all of it.';
export const INVALID_INVITE = 'This invitation link is not valid';
export const INVALID_SHARE = 'This share link is not valid';

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/** The ids a page needs from its params, or undefined if any is missing or not a UUID. */
export function uuidParams<K extends string>(
  params: Partial<Record<string, string>>,
  ...keys: K[]
): Record<K, string> | undefined {
  const found = {} as Record<K, string>;
  for (const key of keys) {
    const value = params[key];
    if (!isUuid(value)) return undefined;
    found[key] = value;
  }
  return found;
}

/** A path on this site ("/…", not "//host" or "/\host", which browsers read as another host), else undefined. */
export function sameSitePath(value: string | null | undefined): string | undefined {
  return value && value.startsWith('/') && !/^\/[/\\]/.test(value) ? value : undefined;
}

/** An http(s) address from data (a tracker link), else undefined: never `javascript:` or `data:` in an href. */
export function externalHref(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** What a page's ?invite= holds: none, a token of the right shape, or something a link should never carry. */
export type InviteParam = { kind: 'none' } | { kind: 'valid'; token: string } | { kind: 'invalid' };

export function inviteParam(params: URLSearchParams): InviteParam {
  const invite = params.get('invite');
  if (invite === null || invite === '') return { kind: 'none' };
  return isToken(invite) ? { kind: 'valid', token: invite } : { kind: 'invalid' };
}
