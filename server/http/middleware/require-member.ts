// A member of the organization in the `orgId` path parameter (403 for anyone else), and the admin check after it.
import { createMiddleware } from 'hono/factory';
import { findMembership, type OrganizationForUser } from '../../store/organizations.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { OrgParams, pathId } from '../params.ts';
import { signedIn } from './load-session.ts';
import type { UserEnv } from './require-user.ts';

export type MemberEnv = UserEnv & { Variables: { membership: OrganizationForUser } };

export const requireMember = createMiddleware<MemberEnv>(async (c, next) => {
  const found = signedIn(c);
  if (!found) throw unauthorized();
  const orgId = pathId(c, 'orgId', OrgParams.shape.orgId);
  const membership = await findMembership(c.var.deps.sql, orgId, found.user.id);
  if (!membership) throw forbidden('You are not a member of this organization');
  c.set('user', found.user);
  c.set('session', found.session);
  c.set('membership', membership);
  await next();
});

/** After requireMember. */
export const requireAdmin = createMiddleware<{ Variables: { membership: OrganizationForUser } }>(async (c, next) => {
  if (c.var.membership.role !== 'admin') throw forbidden('Only an admin of this organization can do this');
  await next();
});
