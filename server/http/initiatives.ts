// Initiatives: the unit of accountable work, with delivery and value status side by side.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMember, type MemberEnv } from './middleware/require-member.ts';
import type { Status } from '../domain/slip.ts';
import {
  deleteInitiative,
  insertInitiative,
  listInitiatives,
  updateInitiative,
  type InitiativeInput,
} from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { idsInOrganization } from '../store/objectives.ts';
import { findMembership } from '../store/organizations.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { badRequest, notFound, validationHook, zodIssues, type Issue } from './errors.ts';
import {
  CreateInitiativeSchema,
  InitiativeSchema,
  MergedInitiativeSchema,
  UpdateInitiativeSchema,
} from './initiative-schemas.ts';
import { requirePortfolioRight } from './portfolio-access.ts';
import { viewInitiatives, viewMetrics } from './portfolio-views.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { InitiativeParams, OrgParams } from './params.ts';

const InitiativeResponse = z.object({ initiative: InitiativeSchema });
const tags = ['initiatives'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/{orgId}/initiatives',
    tags,
    summary: 'Create an initiative with exactly one accountable owner',
    middleware: requireMember,
    request: { params: OrgParams, body: jsonBody(CreateInitiativeSchema) },
    responses: { 201: jsonResponse(InitiativeResponse, 'Created'), ...errors(400, 401, 403) },
  }),
  list: createRoute({
    method: 'get',
    path: '/{orgId}/initiatives',
    tags,
    summary: 'Initiatives with their delivery and value status',
    middleware: requireMember,
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(z.object({ initiatives: z.array(InitiativeSchema) }), 'Initiatives'),
      ...errors(400, 401, 403),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/{orgId}/initiatives/{initiativeId}',
    tags,
    summary: 'An initiative with its delivery and value status',
    middleware: requireMember,
    request: { params: InitiativeParams },
    responses: { 200: jsonResponse(InitiativeResponse, 'The initiative'), ...errors(400, 401, 403, 404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/{orgId}/initiatives/{initiativeId}',
    tags,
    summary: 'Change an initiative (its accountable owner or an admin)',
    middleware: requireMember,
    request: { params: InitiativeParams, body: jsonBody(UpdateInitiativeSchema) },
    responses: { 200: jsonResponse(InitiativeResponse, 'Changed'), ...errors(400, 401, 403, 404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{orgId}/initiatives/{initiativeId}',
    tags,
    summary: 'Remove an initiative (its accountable owner or an admin)',
    middleware: requireMember,
    request: { params: InitiativeParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
};

async function checkReferences(c: VarsOf<MemberEnv>, input: InitiativeInput) {
  const orgId = c.var.membership.id;
  const issues: Issue[] = [];
  if (!(await findMembership(c.var.deps.sql, orgId, input.ownerId))) {
    issues.push({ path: 'ownerId', message: 'must be a member of this organization' });
  }
  if (input.keyResultId && !(await idsInOrganization(c.var.deps.sql, 'key_results', orgId, [input.keyResultId])).size) {
    issues.push({ path: 'keyResultId', message: 'is not a key result of this organization' });
  }
  if (issues.length) throw badRequest('Invalid request', issues);
}

/** Initiatives of the organization (or one of them) with statuses computed from their metrics. */
export async function loadInitiatives(c: VarsOf<MemberEnv>, initiativeId?: string) {
  const orgId = c.var.membership.id;
  const [rows, metricRows] = await Promise.all([
    listInitiatives(c.var.deps.sql, orgId, initiativeId),
    listMetrics(c.var.deps.sql, orgId),
  ]);
  const metrics = await viewMetrics(c.var.deps, metricRows);
  const statuses = new Map<string, Status>(metrics.map((m) => [m.id, m.assessment.status]));
  return viewInitiatives(c.var.deps, rows, statuses);
}

async function loadOne(c: VarsOf<MemberEnv>, initiativeId: string) {
  const [initiative] = await loadInitiatives(c, initiativeId);
  if (!initiative) throw notFound('No such initiative in this organization');
  return initiative;
}

export function initiativeRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    await checkReferences(c, input);
    const id = await insertInitiative(c.var.deps.sql, c.var.membership.id, input);
    return c.json({ initiative: await loadOne(c, id) }, 201);
  });

  app.openapi(routes.list, async (c) => c.json({ initiatives: await loadInitiatives(c) }, 200));

  app.openapi(routes.get, async (c) => {
    const { initiativeId } = c.req.valid('param');
    return c.json({ initiative: await loadOne(c, initiativeId) }, 200);
  });

  app.openapi(routes.update, async (c) => {
    const { initiativeId } = c.req.valid('param');
    const [current] = await listInitiatives(c.var.deps.sql, c.var.membership.id, initiativeId);
    if (!current) throw notFound('No such initiative in this organization');
    requirePortfolioRight(c, 'initiative', 'change', current.ownerId);
    const changes = c.req.valid('json');
    const toWire = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
    const merged = MergedInitiativeSchema.safeParse(
      Object.fromEntries(Object.entries({ ...current, ...changes }).map(([key, value]) => [key, toWire(value)])),
    );
    if (!merged.success) throw badRequest('Invalid request', zodIssues(merged.error));
    await checkReferences(c, merged.data);
    await updateInitiative(c.var.deps.sql, c.var.membership.id, initiativeId, merged.data, c.var.deps.now());
    return c.json({ initiative: await loadOne(c, initiativeId) }, 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { initiativeId } = c.req.valid('param');
    const [current] = await listInitiatives(c.var.deps.sql, c.var.membership.id, initiativeId);
    if (!current) throw notFound('No such initiative in this organization');
    requirePortfolioRight(c, 'initiative', 'remove', current.ownerId);
    if (!(await deleteInitiative(c.var.deps.sql, c.var.membership.id, initiativeId))) {
      throw notFound('No such initiative in this organization');
    }
    return c.body(null, 204);
  });

  return app;
}
