// Access to one organization's data for a member's session or, where allowed, a data source's API token: for
// /orgs/:orgId/… and /metrics/:metricId/… routes. The route learns who acts (`actor`) and in which organization;
// without tokens allowed, the actor is always a member and the route sees their user and membership too.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { hashToken } from '../../auth/tokens.ts';
import type { Actor } from '../../domain/actor.ts';
import { useApiToken } from '../../store/api-tokens.ts';
import { findMetricOrganization } from '../../store/metrics.ts';
import { findMembership, type OrganizationForUser } from '../../store/organizations.ts';
import type { SessionRow } from '../../store/sessions.ts';
import type { User } from '../../store/users.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';
import { MetricParams, OrgParams, pathId } from '../params.ts';
import { bearerToken } from './require-api-token.ts';
import { signedIn } from './load-session.ts';
import type { MemberEnv } from './require-member.ts';

export type OrgAccessEnv = AppEnv & { Variables: { actor: Actor; organizationId: string } };
/** Where tokens are not allowed: a member acts. */
export type MemberAccessEnv = OrgAccessEnv & MemberEnv;

const SIGN_IN_OR_TOKEN = 'Sign in, or send an API token: Authorization: Bearer <token>';

interface Access {
  actor: Actor;
  /** When a member (not a token) acts. */
  member?: { user: User; session: SessionRow; membership: OrganizationForUser };
}

/**
 * Who may act in `organizationId`: its API token (when tokens are allowed) or a member's session.
 * `hidden` turns "no access" into 404, for ids that must not leak.
 */
async function authorize(
  c: Context,
  { sql, now }: AppDeps,
  organizationId: string,
  allowToken: boolean,
  hidden: boolean,
): Promise<Access> {
  const token = allowToken ? bearerToken(c) : undefined;
  if (token) {
    const principal = await useApiToken(sql, hashToken(token), now());
    if (!principal) throw unauthorized('The API token is unknown or revoked');
    if (principal.organizationId !== organizationId)
      throw hidden ? notFound() : forbidden('This API token belongs to another organization');
    return { actor: { kind: 'token', tokenId: principal.tokenId, name: principal.tokenName } };
  }
  const found = signedIn(c);
  if (!found) throw unauthorized(allowToken ? SIGN_IN_OR_TOKEN : undefined);
  const membership = await findMembership(sql, organizationId, found.user.id);
  if (!membership) throw hidden ? notFound() : forbidden('You are not a member of this organization');
  return {
    actor: { kind: 'user', userId: found.user.id, name: found.user.name },
    member: { ...found, membership },
  };
}

/** For /orgs/:orgId/… routes that data sources may call too: a member's session or the organization's token. */
export const requireOrgOrToken = createMiddleware<OrgAccessEnv>(async (c, next) => {
  const organizationId = pathId(c, 'orgId', OrgParams.shape.orgId);
  c.set('actor', (await authorize(c, c.var.deps, organizationId, true, false)).actor);
  c.set('organizationId', organizationId);
  await next();
});

/** The organization of the metric in the path; without credentials 401 whether or not it exists (no oracle). */
async function metricOrganization(c: Context, deps: AppDeps, allowToken: boolean): Promise<string> {
  const id = pathId(c, 'metricId', MetricParams.shape.metricId);
  if (!signedIn(c) && !(allowToken && bearerToken(c))) throw unauthorized(allowToken ? SIGN_IN_OR_TOKEN : undefined);
  const organizationId = await findMetricOrganization(deps.sql, id);
  if (!organizationId) throw notFound('No such metric');
  return organizationId;
}

/** For /metrics/:metricId/… routes that data sources may call too; another organization's metric is not found. */
export const requireMetricOrToken = createMiddleware<OrgAccessEnv>(async (c, next) => {
  const organizationId = await metricOrganization(c, c.var.deps, true);
  c.set('actor', (await authorize(c, c.var.deps, organizationId, true, true)).actor);
  c.set('organizationId', organizationId);
  await next();
});

/** For /metrics/:metricId/… routes of members only; another organization's metric is not found. */
export const requireMetricMember = createMiddleware<MemberAccessEnv>(async (c, next) => {
  const organizationId = await metricOrganization(c, c.var.deps, false);
  const { actor, member } = await authorize(c, c.var.deps, organizationId, false, true);
  if (!member) throw unauthorized(); // a token is never asked for here
  c.set('user', member.user);
  c.set('session', member.session);
  c.set('membership', member.membership);
  c.set('actor', actor);
  c.set('organizationId', organizationId);
  await next();
});
