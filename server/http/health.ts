// Liveness with a database round trip, for load balancers and uptime checks.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { errorFields } from '../logger.ts';
import type { AppEnv } from './context.ts';
import { jsonResponse } from './route-helpers.ts';

const HEALTH_TIMEOUT_MS = 3000;

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
      // A database that does not answer is as bad as one that refuses: do not hang the probe.
      await Promise.race([
        c.var.deps.sql`select 1`,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS).unref(),
        ),
      ]);
      return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
    } catch (error) {
      c.var.logger.warn('health check: database unreachable', errorFields(error));
      return c.json({ status: 'unavailable' as const, database: 'unreachable' as const }, 503);
    }
  });
  return app;
}
