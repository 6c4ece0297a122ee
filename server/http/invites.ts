// Invitation links: admins create, list and revoke them; anyone with the link previews it; a signed-in user accepts it once.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireAdmin, requireMember } from './middleware/require-member.ts';
import { requireUser } from './middleware/require-user.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { inviteExpiry, inviteStatus } from '../domain/invites.ts';
import {
  acceptInvite,
  findInviteByTokenHash,
  insertInvite,
  listInvites,
  revokeInvite,
  type InviteRow,
} from '../store/invites.ts';
import type { AppEnv } from './context.ts';
import { ApiError, notFound, validationHook } from './errors.ts';
import { errors, iso, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import {
  CreateInviteSchema,
  InviteParams,
  InvitePreviewSchema,
  InviteSchema,
  InviteTokenParams,
  OrganizationSchema,
} from './schemas.ts';
import { OrgParams } from './params.ts';

const createInvite = createRoute({
  method: 'post',
  path: '/{orgId}/invites',
  tags: ['organizations'],
  summary: 'Create a single-use, expiring invitation link (the link is shown once)',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: OrgParams, body: jsonBody(CreateInviteSchema) },
  responses: {
    201: jsonResponse(z.object({ invite: InviteSchema, url: z.url() }), 'Created'),
    ...errors(400, 401, 403),
  },
});

const listInvitesRoute = createRoute({
  method: 'get',
  path: '/{orgId}/invites',
  tags: ['organizations'],
  summary: 'Invitations of the organization, newest first',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ invites: z.array(InviteSchema) }), 'Invites'), ...errors(400, 401, 403) },
});

const revokeInviteRoute = createRoute({
  method: 'delete',
  path: '/{orgId}/invites/{inviteId}',
  tags: ['organizations'],
  summary: 'Revoke a pending invitation',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: InviteParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

const previewInvite = createRoute({
  method: 'get',
  path: '/{token}',
  tags: ['invites'],
  summary: 'What an invitation link leads to (no sign-in needed)',
  request: { params: InviteTokenParams },
  responses: { 200: jsonResponse(InvitePreviewSchema, 'The invitation'), ...errors(400, 404, 410) },
});

const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/{token}/accept',
  tags: ['invites'],
  summary: 'Join the organization with this invitation',
  middleware: [requireUser] as const,
  request: { params: InviteTokenParams },
  responses: {
    200: jsonResponse(z.object({ organization: OrganizationSchema }), 'Joined (or already a member)'),
    ...errors(400, 401, 404, 410),
  },
});

function toInvite(row: InviteRow, now: Date) {
  return {
    id: row.id,
    role: row.role,
    createdAt: iso(row.createdAt),
    expiresAt: iso(row.expiresAt),
    status: inviteStatus(row, now),
    acceptedBy: row.acceptedBy,
  };
}

const gone = (status: string) =>
  new ApiError(410, `This invitation is ${status === 'accepted' ? 'already used' : status}. Ask for a new link.`);

/** Mounted under /api/orgs. */
export function organizationInviteRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(createInvite, async (c) => {
    const { sql, now, config } = c.var.deps;
    const { role, expiresInDays } = c.req.valid('json');
    const token = generateToken();
    const row = await insertInvite(sql, {
      organizationId: c.var.membership.id,
      tokenHash: hashToken(token),
      role,
      createdBy: c.var.user.id,
      expiresAt: inviteExpiry(now(), expiresInDays),
    });
    return c.json({ invite: toInvite(row, now()), url: `${config.publicUrl}/invite/${token}` }, 201);
  });

  app.openapi(listInvitesRoute, async (c) => {
    const rows = await listInvites(c.var.deps.sql, c.var.membership.id);
    const now = c.var.deps.now();
    return c.json({ invites: rows.map((row) => toInvite(row, now)) }, 200);
  });

  app.openapi(revokeInviteRoute, async (c) => {
    const { inviteId } = c.req.valid('param');
    const revoked = await revokeInvite(c.var.deps.sql, c.var.membership.id, inviteId, c.var.deps.now());
    if (!revoked) throw notFound('No pending invitation with this id in this organization');
    return c.body(null, 204);
  });

  return app;
}

/** Mounted under /api/invites. */
export function inviteRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(previewInvite, async (c) => {
    const { token } = c.req.valid('param');
    const invite = await findInviteByTokenHash(c.var.deps.sql, hashToken(token), c.var.deps.now());
    if (!invite) throw notFound('This invitation link is not valid');
    if (invite.status !== 'pending') throw gone(invite.status);
    return c.json(
      {
        invite: {
          organization: invite.organization,
          role: invite.role,
          expiresAt: iso(invite.expiresAt),
          invitedBy: invite.invitedBy,
        },
      },
      200,
    );
  });

  app.openapi(acceptInviteRoute, async (c) => {
    const { token } = c.req.valid('param');
    const result = await acceptInvite(c.var.deps.sql, hashToken(token), c.var.user.id, c.var.deps.now());
    if (result.kind === 'not-found') throw notFound('This invitation link is not valid');
    if (result.kind === 'unusable') throw gone(result.status);
    if (result.kind === 'joined') {
      c.var.logger.info('invite accepted', {
        requestId: c.var.requestId,
        organizationId: result.organization.id,
        userId: c.var.user.id,
      });
    }
    return c.json({ organization: result.organization }, 200);
  });

  return app;
}
