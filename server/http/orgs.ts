// Organizations: create one, read it, list and remove its members.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireAdmin, requireMember } from './middleware/require-member.ts';
import { requireUser } from './middleware/require-user.ts';
import {
  findDefaultSlipThreshold,
  insertOrganization,
  listMembers,
  removeMember,
  setDefaultSlipThreshold,
} from '../store/organizations.ts';
import { CloseCode } from '../sync/protocol.ts';
import { slipThreshold } from './metric-schemas.ts';
import type { AppEnv } from './context.ts';
import { conflict, forbidden, notFound, validationHook } from './errors.ts';
import { errors, iso, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { CreateOrganizationSchema, MemberParams, MemberSchema, OrganizationSchema } from './schemas.ts';
import { OrgParams } from './params.ts';

const OrganizationResponse = z.object({ organization: OrganizationSchema });

const createOrganization = createRoute({
  method: 'post',
  path: '/',
  tags: ['organizations'],
  summary: 'Create an organization; the creator becomes its admin',
  middleware: [requireUser] as const,
  request: { body: jsonBody(CreateOrganizationSchema) },
  responses: { 201: jsonResponse(OrganizationResponse, 'Created'), ...errors(400, 401) },
});

const getOrganization = createRoute({
  method: 'get',
  path: '/{orgId}',
  tags: ['organizations'],
  summary: 'An organization the user belongs to, with their role',
  middleware: [requireMember] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(OrganizationResponse, 'The organization'), ...errors(400, 401, 403) },
});

const listMembersRoute = createRoute({
  method: 'get',
  path: '/{orgId}/members',
  tags: ['organizations'],
  summary: 'Members of the organization with their roles',
  middleware: [requireMember] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ members: z.array(MemberSchema) }), 'Members'), ...errors(400, 401, 403) },
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/{orgId}/members/{userId}',
  tags: ['organizations'],
  summary: 'Remove a member (admins), or leave the organization (anyone, for themselves)',
  middleware: [requireMember] as const,
  request: { params: MemberParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404, 409) },
});

const SettingsSchema = z
  .object({
    defaultSlipThreshold: slipThreshold.openapi({ description: 'New metrics pivot to triage this far behind plan' }),
  })
  .openapi('OrganizationSettings');

const getSettings = createRoute({
  method: 'get',
  path: '/{orgId}/settings',
  tags: ['organizations'],
  summary: "The organization's settings (default slip threshold)",
  middleware: [requireMember] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(SettingsSchema, 'Settings'), ...errors(400, 401, 403) },
});

const putSettings = createRoute({
  method: 'put',
  path: '/{orgId}/settings',
  tags: ['organizations'],
  summary: "Change the organization's settings (admins)",
  middleware: [requireMember, requireAdmin] as const,
  request: { params: OrgParams, body: jsonBody(SettingsSchema) },
  responses: { 200: jsonResponse(SettingsSchema, 'Settings'), ...errors(400, 401, 403) },
});

export function organizationRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(getSettings, async (c) =>
    c.json({ defaultSlipThreshold: await findDefaultSlipThreshold(c.var.deps.sql, c.var.membership.id) }, 200),
  );

  app.openapi(putSettings, async (c) => {
    const { defaultSlipThreshold } = c.req.valid('json');
    await setDefaultSlipThreshold(c.var.deps.sql, c.var.membership.id, defaultSlipThreshold);
    return c.json({ defaultSlipThreshold }, 200);
  });

  app.openapi(createOrganization, async (c) => {
    const { name } = c.req.valid('json');
    const organization = await insertOrganization(c.var.deps.sql, { name, createdBy: c.var.user.id });
    return c.json({ organization }, 201);
  });

  app.openapi(getOrganization, (c) => c.json({ organization: c.var.membership }, 200));

  app.openapi(listMembersRoute, async (c) => {
    const members = await listMembers(c.var.deps.sql, c.var.membership.id);
    return c.json({ members: members.map((m) => ({ ...m, joinedAt: iso(m.joinedAt) })) }, 200);
  });

  app.openapi(removeMemberRoute, async (c) => {
    const { userId } = c.req.valid('param');
    const isSelf = userId === c.var.user.id;
    if (!isSelf && c.var.membership.role !== 'admin') throw forbidden('Only an admin can remove members');
    const result = await removeMember(c.var.deps.sql, c.var.membership.id, userId);
    if (result === 'not-found') throw notFound('No such member in this organization');
    if (result === 'last-admin') {
      throw conflict('An organization needs at least one admin: make someone else admin first', [
        { path: 'userId', message: 'is the last admin' },
      ]);
    }
    // A former member's open review rooms and event streams of this organization close at once (everywhere).
    const organizationId = c.var.membership.id;
    c.var.deps.rooms.disconnect(
      { userId, organizationId },
      CloseCode.forbidden,
      'No longer a member of this organization',
    );
    c.var.deps.liveStreams.close({ userId, organizationId }, 'No longer a member of this organization');
    return c.body(null, 204);
  });

  return app;
}
