// API tokens for data sources: admins create (secret shown once), list and revoke; a token can ask who it is.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireAdmin, requireMember } from './middleware/require-member.ts';
import { requireApiToken } from './middleware/require-api-token.ts';
import { generateApiToken, hashToken } from '../auth/tokens.ts';
import { insertApiToken, listApiTokens, revokeApiToken, type ApiTokenRow } from '../store/api-tokens.ts';
import type { AppEnv } from './context.ts';
import { notFound, validationHook } from './errors.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { ApiTokenSchema, CreateApiTokenSchema, TokenIdentitySchema, TokenParams } from './schemas.ts';
import { OrgParams } from './params.ts';

const createToken = createRoute({
  method: 'post',
  path: '/{orgId}/tokens',
  tags: ['api tokens'],
  summary: 'Create an API token for a data source (the secret is shown once)',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: OrgParams, body: jsonBody(CreateApiTokenSchema) },
  responses: {
    201: jsonResponse(z.object({ token: ApiTokenSchema, secret: z.string() }), 'Created'),
    ...errors(400, 401, 403),
  },
});

const listTokens = createRoute({
  method: 'get',
  path: '/{orgId}/tokens',
  tags: ['api tokens'],
  summary: 'API tokens of the organization, newest first',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ tokens: z.array(ApiTokenSchema) }), 'Tokens'), ...errors(400, 401, 403) },
});

const revokeToken = createRoute({
  method: 'delete',
  path: '/{orgId}/tokens/{tokenId}',
  tags: ['api tokens'],
  summary: 'Revoke an API token; it stops working at once',
  middleware: [requireMember, requireAdmin] as const,
  request: { params: TokenParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

const currentToken = createRoute({
  method: 'get',
  path: '/current',
  tags: ['api tokens'],
  summary: 'The organization and token that the Bearer token authenticates as',
  security: [{ Bearer: [] }],
  middleware: [requireApiToken] as const,
  responses: { 200: jsonResponse(TokenIdentitySchema, 'Who this token is'), ...errors(401) },
});

function toApiToken(row: ApiTokenRow) {
  return {
    ...row,
    createdAt: iso(row.createdAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt),
  };
}

/** Mounted under /api/orgs. */
export function organizationTokenRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(createToken, async (c) => {
    const { name } = c.req.valid('json');
    const user = c.var.user;
    const secret = generateApiToken();
    const row = await insertApiToken(c.var.deps.sql, {
      organizationId: c.var.membership.id,
      name,
      tokenHash: hashToken(secret),
      createdBy: { id: user.id, name: user.name },
    });
    return c.json({ token: toApiToken(row), secret }, 201);
  });

  app.openapi(listTokens, async (c) => {
    const rows = await listApiTokens(c.var.deps.sql, c.var.membership.id);
    return c.json({ tokens: rows.map(toApiToken) }, 200);
  });

  app.openapi(revokeToken, async (c) => {
    const { tokenId } = c.req.valid('param');
    const revoked = await revokeApiToken(c.var.deps.sql, c.var.membership.id, tokenId, c.var.deps.now());
    if (!revoked) throw notFound('No API token with this id in this organization');
    return c.body(null, 204);
  });

  return app;
}

/** Mounted under /api/tokens: routes a data source calls with its Bearer token. */
export function tokenRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(currentToken, (c) => {
    const principal = c.var.apiToken;
    return c.json(
      {
        organization: { id: principal.organizationId, name: principal.organizationName },
        token: { id: principal.tokenId, name: principal.tokenName },
      },
      200,
    );
  });
  return app;
}
