// Signed in, or 401: the route sees the user and their session as set.
import { createMiddleware } from 'hono/factory';
import type { SessionRow } from '../../store/sessions.ts';
import type { User } from '../../store/users.ts';
import type { AppEnv } from '../context.ts';
import { unauthorized } from '../errors.ts';
import { signedIn } from './load-session.ts';

export type UserEnv = AppEnv & { Variables: { user: User; session: SessionRow } };

export const requireUser = createMiddleware<UserEnv>(async (c, next) => {
  const found = signedIn(c);
  if (!found) throw unauthorized();
  c.set('user', found.user);
  c.set('session', found.session);
  await next();
});
