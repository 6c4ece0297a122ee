// Metrics: define them in an organization, read them with their live assessment, change or remove them.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMember } from './middleware/require-member.ts';
import { requireMetricMember, requireMetricOrToken, requireOrgOrToken } from './middleware/require-org-access.ts';
import { publishMetricChange } from '../services/metric-changes.ts';
import { findDefaultSlipThreshold } from '../store/organizations.ts';
import {
  deleteMetric,
  findMetric,
  initiativesInOrganization,
  insertMetric,
  listMetrics,
  updateMetric,
} from '../store/metrics.ts';
import { findMembership } from '../store/organizations.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { requirePortfolioRight } from './portfolio-access.ts';
import { badRequest, notFound, validationHook, zodIssues, type Issue } from './errors.ts';
import { viewMetrics } from './portfolio-views.ts';
import { CreateMetricSchema, MergedMetricSchema, MetricSchema, UpdateMetricSchema } from './metric-schemas.ts';
import { errors, jsonBody, jsonResponse, noContent, sessionOrToken } from './route-helpers.ts';
import { MetricParams, OrgParams } from './params.ts';

const MetricResponse = z.object({ metric: MetricSchema });

const createMetric = createRoute({
  method: 'post',
  path: '/orgs/{orgId}/metrics',
  tags: ['metrics'],
  summary: 'Define a metric (KPI) with its plan, owner and slip threshold',
  middleware: [requireMember] as const,
  request: { params: OrgParams, body: jsonBody(CreateMetricSchema) },
  responses: { 201: jsonResponse(MetricResponse, 'Created'), ...errors(400, 401, 403) },
});

const listMetricsRoute = createRoute({
  method: 'get',
  path: '/orgs/{orgId}/metrics',
  tags: ['metrics'],
  summary: 'Metrics of the organization with their status (session or API token)',
  security: sessionOrToken,
  middleware: [requireOrgOrToken] as const,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ metrics: z.array(MetricSchema) }), 'Metrics'), ...errors(400, 401, 403) },
});

const getMetric = createRoute({
  method: 'get',
  path: '/metrics/{metricId}',
  tags: ['metrics'],
  summary: 'A metric with its status, slip and trend (session or API token)',
  middleware: [requireMetricOrToken] as const,
  request: { params: MetricParams },
  responses: { 200: jsonResponse(MetricResponse, 'The metric'), ...errors(400, 401, 404) },
});

const updateMetricRoute = createRoute({
  method: 'patch',
  path: '/metrics/{metricId}',
  tags: ['metrics'],
  summary: 'Change a metric (its owner or an admin)',
  middleware: [requireMetricMember] as const,
  request: { params: MetricParams, body: jsonBody(UpdateMetricSchema) },
  responses: { 200: jsonResponse(MetricResponse, 'Changed'), ...errors(400, 401, 403, 404) },
});

const deleteMetricRoute = createRoute({
  method: 'delete',
  path: '/metrics/{metricId}',
  tags: ['metrics'],
  summary: 'Remove a metric and its readings (its owner or an admin)',
  middleware: [requireMetricMember] as const,
  request: { params: MetricParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

/** The owner and the linked initiatives must belong to the organization. */
async function checkReferences(c: VarsOf<AppEnv>, organizationId: string, ownerId: string, initiativeIds: string[]) {
  const issues: Issue[] = [];
  if (!(await findMembership(c.var.deps.sql, organizationId, ownerId))) {
    issues.push({ path: 'ownerId', message: 'must be a member of this organization' });
  }
  const known = new Set(await initiativesInOrganization(c.var.deps.sql, organizationId, initiativeIds));
  initiativeIds.forEach((id, index) => {
    if (!known.has(id))
      issues.push({ path: `initiativeIds.${index}`, message: 'is not an initiative of this organization' });
  });
  if (issues.length) throw badRequest('Invalid request', issues);
}

async function loadMetric(c: VarsOf<AppEnv>, metricId: string) {
  const row = await findMetric(c.var.deps.sql, metricId);
  if (!row) throw notFound('No such metric');
  const [metric] = await viewMetrics(c.var.deps, [row]);
  return { row, metric: metric! };
}

export function metricRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(createMetric, async (c) => {
    const { initiativeIds, ...input } = c.req.valid('json');
    const organizationId = c.var.membership.id;
    await checkReferences(c, organizationId, input.ownerId, initiativeIds);
    const slipThreshold = input.slipThreshold ?? (await findDefaultSlipThreshold(c.var.deps.sql, organizationId));
    const id = await insertMetric(c.var.deps.sql, organizationId, { ...input, slipThreshold }, initiativeIds);
    return c.json({ metric: (await loadMetric(c, id)).metric }, 201);
  });

  app.openapi(listMetricsRoute, async (c) => {
    const rows = await listMetrics(c.var.deps.sql, c.var.organizationId);
    return c.json({ metrics: await viewMetrics(c.var.deps, rows) }, 200);
  });

  app.openapi(getMetric, async (c) => {
    const { metricId } = c.req.valid('param');
    return c.json({ metric: (await loadMetric(c, metricId)).metric }, 200);
  });

  app.openapi(updateMetricRoute, async (c) => {
    const { metricId } = c.req.valid('param');
    const { row } = await loadMetric(c, metricId);
    requirePortfolioRight(c, 'metric', 'change', row.ownerId);
    const changes = c.req.valid('json');
    const merged = MergedMetricSchema.safeParse({
      ...row,
      startAt: row.startAt.toISOString(),
      targetAt: row.targetAt.toISOString(),
      initiativeIds: row.initiativeIds,
      ...Object.fromEntries(
        Object.entries(changes).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
      ),
    });
    if (!merged.success) throw badRequest('Invalid request', zodIssues(merged.error));
    const { initiativeIds, ...input } = merged.data;
    await checkReferences(c, c.var.organizationId, input.ownerId, initiativeIds);
    const now = c.var.deps.now();
    const result = await updateMetric(
      c.var.deps.sql,
      metricId,
      input,
      changes.initiativeIds ? initiativeIds : undefined,
      now,
    );
    if (!result) throw notFound('No such metric');
    const { row: changed, metric } = await loadMetric(c, metricId);
    // Live pages show the new plan at once; a new threshold or target may cross it like a reading would.
    publishMetricChange(c.var.deps.events, changed, result, now);
    return c.json({ metric }, 200);
  });

  app.openapi(deleteMetricRoute, async (c) => {
    const { metricId } = c.req.valid('param');
    const { row } = await loadMetric(c, metricId);
    requirePortfolioRight(c, 'metric', 'remove', row.ownerId);
    await deleteMetric(c.var.deps.sql, c.var.organizationId, metricId);
    return c.body(null, 204);
  });

  return app;
}
