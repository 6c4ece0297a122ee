// The portfolio in one read: objectives, key results, initiatives and metrics (with sparkline history), and team names.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMember } from './middleware/require-member.ts';
import type { Status } from '../domain/slip.ts';
import { listInitiatives, listTeams } from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { listKeyResults, listObjectives } from '../store/objectives.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { InitiativeSchema } from './initiative-schemas.ts';
import { MetricSchema } from './metric-schemas.ts';
import { KeyResultSchema, ObjectiveSchema } from './objective-schemas.ts';
import { viewInitiatives, viewMetrics } from './portfolio-views.ts';
import { errors, jsonResponse } from './route-helpers.ts';
import { OrgParams } from './params.ts';

export const SPARKLINE_READINGS = 20;

const PortfolioSchema = z
  .object({
    objectives: z.array(ObjectiveSchema),
    keyResults: z.array(KeyResultSchema),
    initiatives: z.array(InitiativeSchema),
    metrics: z.array(MetricSchema.extend({ history: z.array(z.object({ at: z.iso.datetime(), value: z.number() })) })),
  })
  .openapi('Portfolio');

const portfolio = createRoute({
  method: 'get',
  path: '/{orgId}/portfolio',
  tags: ['portfolio'],
  summary: 'Objectives → key results → initiatives → metrics, with statuses and recent readings',
  middleware: requireMember,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(PortfolioSchema, 'The portfolio'), ...errors(400, 401, 403) },
});

const teams = createRoute({
  method: 'get',
  path: '/{orgId}/teams',
  tags: ['portfolio'],
  summary: 'Team names in use, most used first (for suggestions)',
  middleware: requireMember,
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ teams: z.array(z.string()) }), 'Teams'), ...errors(400, 401, 403) },
});

export function portfolioRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(portfolio, async (c) => {
    const { sql } = c.var.deps;
    const orgId = c.var.membership.id;
    const [objectives, keyResults, initiatives, metricRows] = await Promise.all([
      listObjectives(sql, orgId),
      listKeyResults(sql, orgId),
      listInitiatives(sql, orgId),
      listMetrics(sql, orgId),
    ]);
    const metrics = await viewMetrics(c.var.deps, metricRows, SPARKLINE_READINGS);
    const statuses = new Map<string, Status>(metrics.map((m) => [m.id, m.assessment.status]));
    return c.json(
      {
        objectives: objectives.map(({ id, title, description, owner }) => ({ id, title, description, owner })),
        keyResults: keyResults.map(({ id, objectiveId, title, metricId }) => ({ id, objectiveId, title, metricId })),
        initiatives: await viewInitiatives(c.var.deps, initiatives, statuses),
        metrics: metrics.map((m) => ({ ...m, history: m.history ?? [] })),
      },
      200,
    );
  });

  app.openapi(teams, async (c) => c.json({ teams: await listTeams(c.var.deps.sql, c.var.membership.id) }, 200));

  return app;
}
