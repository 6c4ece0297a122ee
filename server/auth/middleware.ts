// Who is asking: the session is validated once per request; guards for users, members, admins, tokens.
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { badRequest, forbidden, unauthorized } from '../http/errors.ts';
import { useApiToken } from '../store/api-tokens.ts';
import { findMembership } from '../store/organizations.ts';
import { readSessionCookie, validateSessionToken, writeSessionCookie, clearSessionCookie } from './sessions.ts';
import { hashToken } from './tokens.ts';

export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
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

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) throw unauthorized();
  await next();
});

const orgIdSchema = z.uuid({ message: 'must be an organization id (UUID)' });

/** Membership of the organization in the `orgId` path parameter; 403 for anyone else. */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.var.user;
  if (!user) throw unauthorized();
  const orgId = orgIdSchema.safeParse(c.req.param('orgId'));
  if (!orgId.success)
    throw badRequest('Invalid request', [{ path: 'param.orgId', message: orgId.error.issues[0]!.message }]);
  const membership = await findMembership(c.var.deps.sql, orgId.data, user.id);
  if (!membership) throw forbidden('You are not a member of this organization');
  c.set('membership', membership);
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.membership.role !== 'admin') throw forbidden('Only an admin of this organization can do this');
  await next();
});

/** `Authorization: Bearer <token>` authenticates a data source as its organization. */
export const requireApiToken = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('An API token is required: Authorization: Bearer <token>');
  const principal = await useApiToken(c.var.deps.sql, hashToken(match[1]!), c.var.deps.now());
  if (!principal) throw unauthorized('The API token is unknown or revoked');
  c.set('apiToken', principal);
  await next();
});
