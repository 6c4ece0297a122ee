// Dependencies between initiatives (A depends on B), with cycle rejection, and the dependency map: every
// initiative with its status and money, every dependency with its risk.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMember, type MemberEnv } from './middleware/require-member.ts';
import { transaction } from '../db/connect.ts';
import { cycleThrough } from '../domain/dependencies.ts';
import { DEPENDENCY_REFUSAL, mayAlterDependency } from '../domain/ownership.ts';
import { loadMap } from './map-view.ts';
import {
  deleteDependency,
  insertDependency,
  listDependencies,
  lockDependencies,
  updateDependency,
  type DependencyRow,
} from '../store/dependencies.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { findMembership } from '../store/organizations.ts';
import type { AppEnv, VarsOf } from './context.ts';
import {
  CreateDependencySchema,
  DependencyMapSchema,
  DependencySchema,
  UpdateDependencySchema,
} from './dependency-schemas.ts';
import { badRequest, conflict, forbidden, notFound, validationHook, type Issue } from './errors.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { DependencyParams, OrgParams } from './params.ts';

const tags = ['dependencies'];
const DependencyResponse = z.object({ dependency: DependencySchema });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{orgId}/dependencies',
    tags,
    summary: 'Dependencies between initiatives, with their risk',
    middleware: requireMember,
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(z.object({ dependencies: z.array(DependencySchema) }), 'Dependencies'),
      ...errors(400, 401, 403),
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/{orgId}/dependencies',
    tags,
    summary: 'Record that one initiative depends on another; a dependency that would close a cycle is refused',
    middleware: requireMember,
    request: { params: OrgParams, body: jsonBody(CreateDependencySchema) },
    responses: { 201: jsonResponse(DependencyResponse, 'Created'), ...errors(400, 401, 403, 409) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/{orgId}/dependencies/{dependencyId}',
    tags,
    summary: 'Change the note, needed-by date or owners of a dependency',
    middleware: requireMember,
    request: { params: DependencyParams, body: jsonBody(UpdateDependencySchema) },
    responses: { 200: jsonResponse(DependencyResponse, 'Changed'), ...errors(400, 401, 403, 404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{orgId}/dependencies/{dependencyId}',
    tags,
    summary: 'Remove a dependency',
    middleware: requireMember,
    request: { params: DependencyParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  map: createRoute({
    method: 'get',
    path: '/{orgId}/map',
    tags,
    summary: 'The dependency map: initiatives with status, team and money; dependencies with their risk',
    middleware: requireMember,
    request: { params: OrgParams },
    responses: { 200: jsonResponse(DependencyMapSchema, 'The map'), ...errors(400, 401, 403) },
  }),
};

async function oneDependency(c: VarsOf<MemberEnv>, id: string) {
  const edge = (await loadMap(c.var.deps, c.var.membership.id)).edges.find((e) => e.id === id);
  if (!edge) throw notFound('No such dependency in this organization');
  return edge;
}

async function checkMembers(c: VarsOf<MemberEnv>, people: Record<string, string | undefined>): Promise<void> {
  const issues: Issue[] = [];
  for (const [path, userId] of Object.entries(people)) {
    if (userId && !(await findMembership(c.var.deps.sql, c.var.membership.id, userId)))
      issues.push({ path, message: 'must be a member of this organization' });
  }
  if (issues.length) throw badRequest('Invalid request', issues);
}

/** The dependency rule (server/domain/ownership.ts) applied to the people a dependency concerns. */
function requireDependencyRight(c: VarsOf<MemberEnv>, people: readonly (string | null | undefined)[]): void {
  const actor = { userId: c.var.user.id, organizationRole: c.var.membership.role };
  if (!mayAlterDependency(actor, people)) throw forbidden(DEPENDENCY_REFUSAL);
}

/** The accountable owners of the two initiatives and the people the dependency names. */
async function peopleOf(c: VarsOf<MemberEnv>, dependency: DependencyRow): Promise<(string | null)[]> {
  const { sql } = c.var.deps;
  const ownerOf = async (id: string) => (await listInitiatives(sql, c.var.membership.id, id))[0]?.ownerId ?? null;
  return [
    await ownerOf(dependency.dependentId),
    await ownerOf(dependency.dependencyId),
    dependency.requesterId,
    dependency.providerId,
  ];
}

export function dependencyRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.list, async (c) =>
    c.json({ dependencies: (await loadMap(c.var.deps, c.var.membership.id)).edges }, 200),
  );

  app.openapi(routes.map, async (c) => c.json(await loadMap(c.var.deps, c.var.membership.id), 200));

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    const { sql } = c.var.deps;
    const orgId = c.var.membership.id;
    await checkMembers(c, { requesterId: input.requesterId, providerId: input.providerId });
    const id = await transaction(sql, async (tx) => {
      await lockDependencies(tx, orgId);
      const initiatives = new Map((await listInitiatives(tx, orgId)).map((row) => [row.id, row]));
      const dependent = initiatives.get(input.dependentId);
      const dependency = initiatives.get(input.dependencyId);
      const issues: Issue[] = [];
      if (!dependent) issues.push({ path: 'dependentId', message: 'is not an initiative of this organization' });
      if (!dependency) issues.push({ path: 'dependencyId', message: 'is not an initiative of this organization' });
      if (issues.length || !dependent || !dependency) throw badRequest('Invalid request', issues);
      requireDependencyRight(c, [dependent.ownerId, dependency.ownerId]);
      const cycle = cycleThrough(await listDependencies(tx, orgId), input);
      if (cycle) {
        const names = cycle.map((initiativeId) => initiatives.get(initiativeId)?.title ?? initiativeId).join(' → ');
        throw conflict(`This dependency would close a cycle: ${names}`, [
          { path: 'dependencyId', message: `closes the cycle ${names}` },
        ]);
      }
      const created = await insertDependency(
        tx,
        orgId,
        {
          ...input,
          requesterId: input.requesterId ?? dependent.ownerId,
          providerId: input.providerId ?? dependency.ownerId,
        },
        c.var.user.id,
      );
      if (!created) throw conflict(`${dependent.title} already depends on ${dependency.title}`);
      return created;
    });
    return c.json({ dependency: await oneDependency(c, id) }, 201);
  });

  app.openapi(routes.update, async (c) => {
    const { dependencyId } = c.req.valid('param');
    const changes = c.req.valid('json');
    const orgId = c.var.membership.id;
    const [current] = await listDependencies(c.var.deps.sql, orgId, dependencyId);
    if (!current) throw notFound('No such dependency in this organization');
    requireDependencyRight(c, await peopleOf(c, current));
    await checkMembers(c, { requesterId: changes.requesterId, providerId: changes.providerId });
    await updateDependency(
      c.var.deps.sql,
      orgId,
      dependencyId,
      {
        note: changes.note ?? current.note,
        neededBy: changes.neededBy !== undefined ? changes.neededBy : current.neededBy,
        requesterId: changes.requesterId ?? current.requesterId,
        providerId: changes.providerId ?? current.providerId,
      },
      c.var.deps.now(),
    );
    return c.json({ dependency: await oneDependency(c, dependencyId) }, 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { dependencyId } = c.req.valid('param');
    const [current] = await listDependencies(c.var.deps.sql, c.var.membership.id, dependencyId);
    if (!current) throw notFound('No such dependency in this organization');
    requireDependencyRight(c, await peopleOf(c, current));
    if (!(await deleteDependency(c.var.deps.sql, c.var.membership.id, dependencyId)))
      throw notFound('No such dependency in this organization');
    return c.body(null, 204);
  });

  return app;
}
