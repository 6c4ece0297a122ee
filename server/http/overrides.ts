// Status overrides: the owner of a metric or initiative (or an admin) states its status with a reason,
// shown beside the computed one; clearing an override keeps it in the history.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requireMember, type MemberEnv } from './middleware/require-member.ts';
import { requireMetricMember, type MemberAccessEnv } from './middleware/require-org-access.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { findMetric } from '../store/metrics.ts';
import {
  clearOverride,
  listOverrides,
  setOverride,
  type OverrideRow,
  type OverrideTarget,
} from '../store/overrides.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { forbidden, notFound, validationHook } from './errors.ts';
import { OverrideStatusSchema } from './status-schemas.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { multiLine } from './schemas.ts';
import { InitiativeParams, MetricParams } from './params.ts';

export const OverrideSchema = z
  .object({
    id: z.uuid(),
    status: OverrideStatusSchema,
    reason: z.string(),
    setBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    setAt: z.iso.datetime(),
    clearedAt: z.iso.datetime().nullable(),
    clearedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  })
  .openapi('StatusOverride');

const OverrideBody = z
  .object({
    status: OverrideStatusSchema,
    reason: multiLine()
      .trim()
      .min(3, 'must say why (at least 3 characters)')
      .max(1000, 'must be at most 1000 characters'),
  })
  .openapi('StatusOverrideInput');

const HistoryResponse = jsonResponse(z.object({ overrides: z.array(OverrideSchema) }), 'History, newest first');

/** The three routes (set, clear, history) for one kind of target under `path`. */
function overrideRoutesFor<
  P extends z.ZodObject,
  M extends MiddlewareHandler<MemberEnv> | MiddlewareHandler<MemberAccessEnv>,
>(path: string, params: P, middleware: M, what: string) {
  return {
    set: createRoute({
      method: 'post',
      path: `${path}/override`,
      tags: ['overrides'],
      summary: `Override ${what}'s status with a reason (its owner or an admin); the computed status stays visible`,
      middleware,
      request: { params, body: jsonBody(OverrideBody) },
      responses: { ...noContent, ...errors(400, 401, 403, 404) },
    }),
    clear: createRoute({
      method: 'delete',
      path: `${path}/override`,
      tags: ['overrides'],
      summary: 'Clear the override in force; it stays in the history',
      middleware,
      request: { params },
      responses: { ...noContent, ...errors(400, 401, 403, 404) },
    }),
    history: createRoute({
      method: 'get',
      path: `${path}/overrides`,
      tags: ['overrides'],
      summary: `Every override of ${what}, newest first`,
      middleware,
      request: { params },
      responses: { 200: HistoryResponse, ...errors(400, 401, 403, 404) },
    }),
  };
}

const metricRoutes = overrideRoutesFor('/metrics/{metricId}', MetricParams, requireMetricMember, 'a metric');
const initiativeRoutes = overrideRoutesFor(
  '/orgs/{orgId}/initiatives/{initiativeId}',
  InitiativeParams,
  requireMember,
  'an initiative',
);

export function toOverride(row: OverrideRow) {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    setBy: row.setBy,
    setAt: iso(row.setAt),
    clearedAt: isoOrNull(row.clearedAt),
    clearedBy: row.clearedBy,
  };
}

/** The owner of the target, or 404 when it is not in the caller's organization. */
async function findOwner(c: VarsOf<MemberEnv>, target: OverrideTarget): Promise<string> {
  if (target.kind === 'metric') {
    const metric = await findMetric(c.var.deps.sql, target.id);
    if (!metric) throw notFound('No such metric');
    return metric.ownerId;
  }
  const [initiative] = await listInitiatives(c.var.deps.sql, c.var.membership.id, target.id);
  if (!initiative) throw notFound('No such initiative in this organization');
  return initiative.ownerId;
}

async function requireOwnerOrAdmin(c: VarsOf<MemberEnv>, target: OverrideTarget) {
  const ownerId = await findOwner(c, target);
  if (c.var.membership.role !== 'admin' && ownerId !== c.var.user.id) {
    throw forbidden(`Only the owner of this ${target.kind} or an admin can override its status`);
  }
}

export function overrideRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const set = async (c: VarsOf<MemberEnv>, target: OverrideTarget, body: z.output<typeof OverrideBody>) => {
    await requireOwnerOrAdmin(c, target);
    await setOverride(c.var.deps.sql, target, { ...body, userId: c.var.user.id, now: c.var.deps.now() });
  };
  const clear = async (c: VarsOf<MemberEnv>, target: OverrideTarget) => {
    await requireOwnerOrAdmin(c, target);
    if (!(await clearOverride(c.var.deps.sql, target, c.var.user.id, c.var.deps.now()))) {
      throw notFound(`This ${target.kind} has no override in force`);
    }
  };
  const history = async (c: VarsOf<MemberEnv>, target: OverrideTarget) => {
    await findOwner(c, target);
    return (await listOverrides(c.var.deps.sql, target)).map(toOverride);
  };

  const metric = (id: string): OverrideTarget => ({ kind: 'metric', id });
  const initiative = (id: string): OverrideTarget => ({ kind: 'initiative', id });

  app.openapi(metricRoutes.set, async (c) => {
    await set(c, metric(c.req.valid('param').metricId), c.req.valid('json'));
    return c.body(null, 204);
  });
  app.openapi(metricRoutes.clear, async (c) => {
    await clear(c, metric(c.req.valid('param').metricId));
    return c.body(null, 204);
  });
  app.openapi(metricRoutes.history, async (c) =>
    c.json({ overrides: await history(c, metric(c.req.valid('param').metricId)) }, 200),
  );

  app.openapi(initiativeRoutes.set, async (c) => {
    await set(c, initiative(c.req.valid('param').initiativeId), c.req.valid('json'));
    return c.body(null, 204);
  });
  app.openapi(initiativeRoutes.clear, async (c) => {
    await clear(c, initiative(c.req.valid('param').initiativeId));
    return c.body(null, 204);
  });
  app.openapi(initiativeRoutes.history, async (c) =>
    c.json({ overrides: await history(c, initiative(c.req.valid('param').initiativeId)) }, 200),
  );

  return app;
}
