// Access to one organization's data for a member's session or, where allowed, a data source's API token.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { badRequest, forbidden, notFound, unauthorized } from '../http/errors.ts';
import { useApiToken } from '../store/api-tokens.ts';
import { findMetricOrganization } from '../store/metrics.ts';
import { findMembership } from '../store/organizations.ts';
import { hashToken } from './tokens.ts';

const uuid = z.uuid();

function bearerToken(c: Context<AppEnv>): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1];
}

/**
 * Lets the request act in `organizationId` if its API token belongs to it (when tokens are allowed)
 * or its user is a member. `hidden` turns "no access" into 404, for ids that must not leak.
 */
async function authorize(
  c: Context<AppEnv>,
  organizationId: string,
  allowToken: boolean,
  hidden: boolean,
): Promise<void> {
  const { sql, now } = c.var.deps;
  const token = allowToken ? bearerToken(c) : undefined;
  if (token) {
    const principal = await useApiToken(sql, hashToken(token), now());
    if (!principal) throw unauthorized('The API token is unknown or revoked');
    if (principal.organizationId !== organizationId)
      throw hidden ? notFound() : forbidden('This API token belongs to another organization');
    c.set('apiToken', principal);
    c.set('actor', { kind: 'token', tokenId: principal.tokenId, name: principal.tokenName });
    c.set('organizationId', organizationId);
    return;
  }
  const user = c.var.user;
  if (!user)
    throw unauthorized(allowToken ? 'Sign in, or send an API token: Authorization: Bearer <token>' : undefined);
  const membership = await findMembership(sql, organizationId, user.id);
  if (!membership) throw hidden ? notFound() : forbidden('You are not a member of this organization');
  c.set('membership', membership);
  c.set('actor', { kind: 'user', userId: user.id, name: user.name });
  c.set('organizationId', organizationId);
}

/** For /orgs/:orgId/… routes that data sources may call too. */
export function requireOrgAccess(options: { allowToken: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const orgId = uuid.safeParse(c.req.param('orgId'));
    if (!orgId.success)
      throw badRequest('Invalid request', [{ path: 'param.orgId', message: 'must be an organization id (UUID)' }]);
    await authorize(c, orgId.data, options.allowToken, false);
    await next();
  });
}

/** For /metrics/:metricId/… routes: a metric of another organization is simply not found. */
export function requireMetricAccess(options: { allowToken: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const metricId = uuid.safeParse(c.req.param('metricId'));
    if (!metricId.success)
      throw badRequest('Invalid request', [{ path: 'param.metricId', message: 'must be a metric id (UUID)' }]);
    // Without credentials the answer is 401 whether or not the metric exists (no existence oracle).
    if (!c.var.user && !(options.allowToken && bearerToken(c)))
      throw unauthorized(
        options.allowToken ? 'Sign in, or send an API token: Authorization: Bearer <token>' : undefined,
      );
    const organizationId = await findMetricOrganization(c.var.deps.sql, metricId.data);
    if (!organizationId) throw notFound('No such metric');
    await authorize(c, organizationId, options.allowToken, true);
    await next();
  });
}
