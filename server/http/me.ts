// The signed-in user and the organizations they belong to.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { requireUser } from './middleware/require-user.ts';
import { listOrganizationsForUser } from '../store/organizations.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { errors, jsonResponse } from './route-helpers.ts';
import { MeSchema } from './schemas.ts';

const me = createRoute({
  method: 'get',
  path: '/',
  tags: ['auth'],
  summary: 'The signed-in user and their organizations with roles',
  middleware: [requireUser] as const,
  responses: { 200: jsonResponse(MeSchema, 'The user'), ...errors(401) },
});

export function meRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(me, async (c) => {
    const user = c.var.user;
    const organizations = await listOrganizationsForUser(c.var.deps.sql, user.id);
    return c.json({ user, organizations }, 200);
  });
  return app;
}
