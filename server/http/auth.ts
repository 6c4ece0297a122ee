// Sign up, log in (throttled per email and per IP), log out (here, or everywhere); signing out closes the
// review-room sockets opened with the session(s) it ends.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { clearSessionCookie, createSession, writeSessionCookie } from '../auth/sessions.ts';
import { deleteSession, deleteUserSessions } from '../store/sessions.ts';
import { CloseCode } from '../sync/protocol.ts';
import { findUserByEmail, insertUser } from '../store/users.ts';
import type { AppEnv } from './context.ts';
import { ApiError, conflict, unauthorized, validationHook } from './errors.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { LoginSchema, SignupSchema, UserSchema } from './schemas.ts';
import { z } from '@hono/zod-openapi';

const UserResponse = z.object({ user: UserSchema });

const signup = createRoute({
  method: 'post',
  path: '/signup',
  tags: ['auth'],
  summary: 'Create an account and sign in',
  request: { body: jsonBody(SignupSchema) },
  responses: { 201: jsonResponse(UserResponse, 'Signed up; the session cookie is set'), ...errors(400, 409) },
});

const login = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  request: { body: jsonBody(LoginSchema) },
  responses: { 200: jsonResponse(UserResponse, 'Signed in; the session cookie is set'), ...errors(400, 401, 429) },
});

const logout = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'Sign out and invalidate the session',
  responses: noContent,
});

const logoutEverywhere = createRoute({
  method: 'post',
  path: '/logout-everywhere',
  tags: ['auth'],
  summary: 'Sign out on every device: all sessions end and their open review rooms disconnect',
  responses: { ...noContent, ...errors(401) },
});

function isSecure(c: Context<AppEnv>) {
  return c.var.deps.config.publicUrl.startsWith('https:');
}

function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function authRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(signup, async (c) => {
    const { sql, now } = c.var.deps;
    const input = c.req.valid('json');
    const user = await insertUser(sql, { ...input, passwordHash: await hashPassword(input.password) });
    if (!user)
      throw conflict('An account with this email already exists', [
        { path: 'email', message: 'is already registered' },
      ]);
    const { token, session } = await createSession(sql, user.id, now());
    writeSessionCookie(c, token, session.expiresAt, isSecure(c));
    c.var.logger.info('user signed up', { requestId: c.var.requestId, userId: user.id });
    return c.json({ user }, 201);
  });

  app.openapi(login, async (c) => {
    const { sql, now, throttles } = c.var.deps;
    const { email, password } = c.req.valid('json');
    const emailKey = email.toLowerCase();
    const ipKey = clientIp(c);
    const wait = Math.max(throttles.email.retryAfter(emailKey), throttles.ip.retryAfter(ipKey));
    if (wait > 0) {
      throw new ApiError(429, `Too many sign-in attempts. Try again in ${wait} seconds.`, [], {
        'Retry-After': String(wait),
      });
    }
    const user = await findUserByEmail(sql, email);
    // Unknown email and wrong password take the same path, time and answer.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !valid) {
      throttles.email.recordFailure(emailKey);
      throttles.ip.recordFailure(ipKey);
      throw unauthorized('Invalid email or password');
    }
    throttles.email.reset(emailKey);
    const { token, session } = await createSession(sql, user.id, now());
    writeSessionCookie(c, token, session.expiresAt, isSecure(c));
    return c.json({ user: { id: user.id, email: user.email, name: user.name } }, 200);
  });

  app.openapi(logout, async (c) => {
    const session = c.var.session;
    if (session) {
      await deleteSession(c.var.deps.sql, session.id);
      c.var.deps.rooms.disconnect({ sessionId: session.id }, CloseCode.unauthorized, 'Signed out');
    }
    clearSessionCookie(c, isSecure(c));
    return c.body(null, 204);
  });

  app.openapi(logoutEverywhere, async (c) => {
    const user = c.var.user;
    if (!user || !c.var.session) throw unauthorized();
    await deleteUserSessions(c.var.deps.sql, user.id);
    c.var.deps.rooms.disconnect({ userId: user.id }, CloseCode.unauthorized, 'Signed out everywhere');
    clearSessionCookie(c, isSecure(c));
    return c.body(null, 204);
  });

  return app;
}
