// Sign up (throttled per address, the password checked for strength), log in (throttled per email and address
// with backoff, and per address), log out (here, or everywhere); signing out closes the review-room sockets and
// the live event streams opened with the session(s) it ends. Every argon2 computation waits its turn in a queue.
import { availableParallelism } from 'node:os';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import { createHashQueue, HashQueueFullError, type HashQueue } from '../auth/hash-queue.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { createSignInLimiter, type SignInLimiter } from '../auth/sign-in-limiter.ts';
import { createThrottle, type Throttle } from '../auth/throttle.ts';
import { checkPasswordStrength } from '../domain/password-strength.ts';
import { clearSessionCookie, createSession, writeSessionCookie } from '../auth/sessions.ts';
import { deleteSession, deleteUserSessions } from '../store/sessions.ts';
import { CloseCode } from '../sync/protocol.ts';
import { findUserByEmail, insertUser } from '../store/users.ts';
import type { AppEnv } from './context.ts';
import { signedIn } from './middleware/load-session.ts';
import { ApiError, badRequest, conflict, unauthorized, validationHook } from './errors.ts';
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
  responses: {
    201: jsonResponse(UserResponse, 'Signed up; the session cookie is set'),
    ...errors(400, 409, 429),
  },
});

const login = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonResponse(UserResponse, 'Signed in; the session cookie is set'),
    ...errors(400, 401, 429),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'Sign out and invalidate the session; its open review rooms and event streams disconnect',
  responses: noContent,
});

const logoutEverywhere = createRoute({
  method: 'post',
  path: '/logout-everywhere',
  tags: ['auth'],
  summary: 'Sign out on every device: all sessions end, their open review rooms and event streams disconnect',
  responses: { ...noContent, ...errors(401) },
});

function isSecure(c: Context<AppEnv>) {
  return c.var.deps.config.publicUrl.startsWith('https:');
}

/** Argon2 runs at most this many at once (one per core, at most 4); this many more may wait. */
const HASH_CONCURRENCY = Math.min(4, Math.max(1, availableParallelism()));
const HASH_MAX_WAITING = 64;

/** What the auth routes of one app count and queue (per app, so two servers in one process keep their own). */
interface AuthLimits {
  signIn: SignInLimiter;
  signUp: Throttle;
  hashes: HashQueue;
}

function tooMany(what: string, wait: number): ApiError {
  return new ApiError(429, `Too many ${what}. Try again in ${wait} seconds.`, [], { 'Retry-After': String(wait) });
}

/** Runs an argon2 computation in its turn; a full queue is a 503 the client can retry. */
async function inTurn<T>(hashes: HashQueue, task: () => Promise<T>): Promise<T> {
  try {
    return await hashes.run(task);
  } catch (error) {
    if (error instanceof HashQueueFullError)
      throw new ApiError(503, 'The server is busy; try again in a moment', [], { 'Retry-After': '2' });
    throw error;
  }
}

export function authRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  let limits: AuthLimits | undefined;
  const limitsOf = (c: Context<AppEnv>): AuthLimits => {
    const { config } = c.var.deps;
    limits ??= {
      signIn: createSignInLimiter(config.loginThrottle),
      signUp: createThrottle({ maxAttempts: config.signupsPerHourPerIp, windowMs: 60 * 60_000 }),
      hashes: createHashQueue({ concurrency: HASH_CONCURRENCY, maxWaiting: HASH_MAX_WAITING }),
    };
    return limits;
  };

  app.openapi(signup, async (c) => {
    const { sql, now } = c.var.deps;
    const { signUp, hashes } = limitsOf(c);
    const input = c.req.valid('json');
    const address = clientAddress(c);
    const at = now().getTime();
    // Every attempt counts, taken or not: the answer for a registered email must not come for free.
    const wait = signUp.retryAfter(address, at);
    if (wait > 0) throw tooMany('sign-ups from your address', wait);
    signUp.recordFailure(address, at);
    const strength = checkPasswordStrength(input.password, input);
    if (!strength.ok) throw badRequest('Invalid request', [{ path: 'password', message: strength.reason }]);
    // Hashed before the email is looked at, so a registered email costs the same work as a new one.
    const passwordHash = await inTurn(hashes, () => hashPassword(input.password));
    const user = await insertUser(sql, { ...input, passwordHash });
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
    const { sql, now } = c.var.deps;
    const { signIn, hashes } = limitsOf(c);
    const { email, password } = c.req.valid('json');
    const address = clientAddress(c);
    const wait = signIn.retryAfter(email, address, now().getTime());
    if (wait > 0) throw tooMany('sign-in attempts', wait);
    const user = await findUserByEmail(sql, email);
    // Unknown email and wrong password take the same path, time and answer.
    const valid = await inTurn(hashes, async () =>
      verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password),
    );
    if (!user || !valid) {
      signIn.recordFailure(email, address, now().getTime());
      throw unauthorized('Invalid email or password');
    }
    signIn.recordSuccess(email, address);
    const { token, session } = await createSession(sql, user.id, now());
    writeSessionCookie(c, token, session.expiresAt, isSecure(c));
    return c.json({ user: { id: user.id, email: user.email, name: user.name } }, 200);
  });

  app.openapi(logout, async (c) => {
    const session = signedIn(c)?.session;
    if (session) {
      await deleteSession(c.var.deps.sql, session.id);
      // Rooms.disconnect also tells the other processes, whose sockets and event streams of the session end.
      c.var.deps.rooms.disconnect({ sessionId: session.id }, CloseCode.unauthorized, 'Signed out');
      c.var.deps.liveStreams.close({ sessionId: session.id }, 'Signed out');
    }
    clearSessionCookie(c, isSecure(c));
    return c.body(null, 204);
  });

  app.openapi(logoutEverywhere, async (c) => {
    const user = signedIn(c)?.user;
    if (!user) throw unauthorized();
    await deleteUserSessions(c.var.deps.sql, user.id);
    c.var.deps.rooms.disconnect({ userId: user.id }, CloseCode.unauthorized, 'Signed out everywhere');
    c.var.deps.liveStreams.close({ userId: user.id }, 'Signed out everywhere');
    clearSessionCookie(c, isSecure(c));
    return c.body(null, 204);
  });

  return app;
}
