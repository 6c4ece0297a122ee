// Who is asking: the session cookie is validated once per request, for /api and /sync. The guards after it
// (require-*.ts) turn "maybe signed in" into what a route may rely on.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  clearSessionCookie,
  readSessionCookie,
  validateSessionToken,
  writeSessionCookie,
} from '../../auth/sessions.ts';
import type { SessionRow } from '../../store/sessions.ts';
import type { User } from '../../store/users.ts';
import type { AppEnv } from '../context.ts';

export type SessionEnv = AppEnv & { Variables: { user: User | undefined; session: SessionRow | undefined } };

export const loadSession = createMiddleware<SessionEnv>(async (c, next) => {
  const { sql, now, config } = c.var.deps;
  const token = readSessionCookie(c);
  c.set('user', undefined);
  c.set('session', undefined);
  if (token) {
    const found = await validateSessionToken(sql, token, now());
    const secure = config.publicUrl.startsWith('https:');
    if (!found) {
      clearSessionCookie(c, secure);
    } else {
      c.set('user', found.user);
      c.set('session', found.session);
      if (found.renewed) writeSessionCookie(c, token, found.session.expiresAt, secure);
    }
  }
  await next();
});

/** The signed-in user and session, if any, for guards (every /api and /sync request passed loadSession). */
export function signedIn(c: Context): { user: User; session: SessionRow } | undefined {
  const { user, session } = (c as Context<SessionEnv>).var;
  return user && session ? { user, session } : undefined;
}
