// Liveness with a database round trip, for load balancers and uptime checks.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { errorFields } from '../logger.ts';
import type { AppEnv } from './context.ts';
import { jsonResponse } from './route-helpers.ts';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unreachable']) });

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness and database check',
  responses: { 200: jsonResponse(Health, 'Healthy'), 503: jsonResponse(Health, 'The database is unreachable') },
});

export function healthRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(health, async (c) => {
    try {
      await c.var.deps.sql`select 1`;
      return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
    } catch (error) {
      c.var.logger.warn('health check: database unreachable', errorFields(error));
      return c.json({ status: 'unavailable' as const, database: 'unreachable' as const }, 503);
    }
  });
  return app;
}
