// Sessions per Lucia's guide: the client holds a random token, the database only its SHA-256.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Sql } from '../db/connect.ts';
import {
  deleteSession,
  findSessionWithUser,
  insertSession,
  updateSessionExpiry,
  type SessionRow,
} from '../store/sessions.ts';
import type { User } from '../store/users.ts';
import { checkSession, newSessionExpiry } from './session-policy.ts';
import { generateToken, hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'lastmile_session';

export async function createSession(
  sql: Sql,
  userId: string,
  now: Date,
): Promise<{ token: string; session: SessionRow }> {
  const token = generateToken();
  const session = { id: hashToken(token), userId, expiresAt: newSessionExpiry(now) };
  await insertSession(sql, session);
  return { token, session };
}

/** The session and user for a token, renewing the expiry when it is due; undefined if invalid. */
export async function validateSessionToken(
  sql: Sql,
  token: string,
  now: Date,
): Promise<{ session: SessionRow; user: User; renewed: boolean } | undefined> {
  const found = await findSessionWithUser(sql, hashToken(token));
  if (!found) return undefined;
  const check = checkSession(found.session.expiresAt, now);
  if (check.kind === 'expired') {
    await deleteSession(sql, found.session.id);
    return undefined;
  }
  if (check.kind === 'renew') {
    await updateSessionExpiry(sql, found.session.id, check.expiresAt);
    return { session: { ...found.session, expiresAt: check.expiresAt }, user: found.user, renewed: true };
  }
  return { ...found, renewed: false };
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, token: string, expiresAt: Date, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
}
