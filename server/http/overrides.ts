// Status overrides: a metric's owner (or an admin) states the status with a reason, shown beside the computed one.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMetricAccess } from '../auth/org-access.ts';
import { findMetric } from '../store/metrics.ts';
import { clearMetricOverride, listMetricOverrides, setMetricOverride, type OverrideRow } from '../store/overrides.ts';
import type { AppEnv } from './context.ts';
import { forbidden, notFound, validationHook } from './errors.ts';
import { MetricParams } from './portfolio-schemas.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse, noContent } from './route-helpers.ts';

export const OverrideSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['on track', 'at risk', 'off track']),
    reason: z.string(),
    setBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    setAt: z.iso.datetime(),
    clearedAt: z.iso.datetime().nullable(),
    clearedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  })
  .openapi('StatusOverride');

const OverrideBody = z
  .object({
    status: z.enum(['on track', 'at risk', 'off track'], { error: 'must be on track, at risk or off track' }),
    reason: z
      .string()
      .trim()
      .min(3, 'must say why (at least 3 characters)')
      .max(1000, 'must be at most 1000 characters'),
  })
  .openapi('StatusOverrideInput');

const guard = requireMetricAccess({ allowToken: false });

const setRoute = createRoute({
  method: 'post',
  path: '/metrics/{metricId}/override',
  tags: ['metrics'],
  summary: "Override a metric's status with a reason (its owner or an admin); the computed status stays visible",
  middleware: guard,
  request: { params: MetricParams, body: jsonBody(OverrideBody) },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

const clearRoute = createRoute({
  method: 'delete',
  path: '/metrics/{metricId}/override',
  tags: ['metrics'],
  summary: 'Clear the override in force; it stays in the history',
  middleware: guard,
  request: { params: MetricParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/metrics/{metricId}/overrides',
  tags: ['metrics'],
  summary: 'Every override of this metric, newest first',
  middleware: guard,
  request: { params: MetricParams },
  responses: {
    200: jsonResponse(z.object({ overrides: z.array(OverrideSchema) }), 'History'),
    ...errors(400, 401, 404),
  },
});

export function toOverride(row: OverrideRow) {
  return { ...row, setAt: iso(row.setAt), clearedAt: isoOrNull(row.clearedAt) };
}

export function overrideRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(setRoute, async (c) => {
    const { metricId } = c.req.valid('param');
    const metric = await findMetric(c.var.deps.sql, metricId);
    if (!metric) throw notFound('No such metric');
    if (c.var.membership.role !== 'admin' && metric.ownerId !== c.var.user!.id) {
      throw forbidden('Only the owner of this metric or an admin can override its status');
    }
    const { status, reason } = c.req.valid('json');
    await setMetricOverride(c.var.deps.sql, {
      metricId,
      status,
      reason,
      userId: c.var.user!.id,
      now: c.var.deps.now(),
    });
    return c.body(null, 204);
  });

  app.openapi(clearRoute, async (c) => {
    const { metricId } = c.req.valid('param');
    const metric = await findMetric(c.var.deps.sql, metricId);
    if (!metric) throw notFound('No such metric');
    if (c.var.membership.role !== 'admin' && metric.ownerId !== c.var.user!.id) {
      throw forbidden('Only the owner of this metric or an admin can clear its override');
    }
    if (!(await clearMetricOverride(c.var.deps.sql, metricId, c.var.user!.id, c.var.deps.now()))) {
      throw notFound('This metric has no override in force');
    }
    return c.body(null, 204);
  });

  app.openapi(historyRoute, async (c) => {
    const { metricId } = c.req.valid('param');
    return c.json({ overrides: (await listMetricOverrides(c.var.deps.sql, metricId)).map(toOverride) }, 200);
  });

  return app;
}
