// Objectives and their key results: what the organization is trying to achieve, and how it is measured.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMember, type MemberEnv } from './middleware/require-member.ts';
import {
  deleteKeyResult,
  deleteObjective,
  idsInOrganization,
  insertKeyResult,
  insertObjective,
  listKeyResults,
  listObjectives,
  updateKeyResult,
  updateObjective,
} from '../store/objectives.ts';
import { findMembership } from '../store/organizations.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { badRequest, notFound, validationHook, zodIssues, type Issue } from './errors.ts';
import {
  KeyResultBodySchema,
  KeyResultPatchSchema,
  KeyResultSchema,
  ObjectiveBodySchema,
  ObjectivePatchSchema,
  ObjectiveSchema,
} from './objective-schemas.ts';
import { requirePortfolioRight } from './portfolio-access.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { OrgParams, uuidOf } from './params.ts';

const ObjectiveParams = OrgParams.extend({ objectiveId: uuidOf('an objective') });
const KeyResultParams = OrgParams.extend({ keyResultId: uuidOf('a key result') });
const tags = ['objectives'];
const guard = requireMember;

const routes = {
  create: createRoute({
    method: 'post',
    path: '/{orgId}/objectives',
    tags,
    summary: 'Create an objective with its owner',
    middleware: guard,
    request: { params: OrgParams, body: jsonBody(ObjectiveBodySchema) },
    responses: { 201: jsonResponse(z.object({ objective: ObjectiveSchema }), 'Created'), ...errors(400, 401, 403) },
  }),
  list: createRoute({
    method: 'get',
    path: '/{orgId}/objectives',
    tags,
    summary: 'Objectives with their key results',
    middleware: guard,
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(
        z.object({ objectives: z.array(ObjectiveSchema), keyResults: z.array(KeyResultSchema) }),
        'Objectives',
      ),
      ...errors(400, 401, 403),
    },
  }),
  update: createRoute({
    method: 'put',
    path: '/{orgId}/objectives/{objectiveId}',
    tags,
    summary: 'Replace an objective (its owner or an admin)',
    middleware: guard,
    request: { params: ObjectiveParams, body: jsonBody(ObjectiveBodySchema) },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  patch: createRoute({
    method: 'patch',
    path: '/{orgId}/objectives/{objectiveId}',
    tags,
    summary: 'Change an objective: fields not named stay as they are (its owner or an admin)',
    middleware: guard,
    request: { params: ObjectiveParams, body: jsonBody(ObjectivePatchSchema) },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{orgId}/objectives/{objectiveId}',
    tags,
    summary: 'Remove an objective and its key results (its owner or an admin)',
    middleware: guard,
    request: { params: ObjectiveParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  createKeyResult: createRoute({
    method: 'post',
    path: '/{orgId}/key-results',
    tags,
    summary: 'Add a key result to an objective, measured by one metric (the objective’s owner or an admin)',
    middleware: guard,
    request: { params: OrgParams, body: jsonBody(KeyResultBodySchema) },
    responses: { 201: jsonResponse(z.object({ keyResult: KeyResultSchema }), 'Created'), ...errors(400, 401, 403) },
  }),
  updateKeyResult: createRoute({
    method: 'put',
    path: '/{orgId}/key-results/{keyResultId}',
    tags,
    summary: 'Replace a key result (its objective’s owner or an admin)',
    middleware: guard,
    request: { params: KeyResultParams, body: jsonBody(KeyResultBodySchema) },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  patchKeyResult: createRoute({
    method: 'patch',
    path: '/{orgId}/key-results/{keyResultId}',
    tags,
    summary: 'Change a key result: fields not named stay as they are (its objective’s owner or an admin)',
    middleware: guard,
    request: { params: KeyResultParams, body: jsonBody(KeyResultPatchSchema) },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  removeKeyResult: createRoute({
    method: 'delete',
    path: '/{orgId}/key-results/{keyResultId}',
    tags,
    summary: 'Remove a key result (its objective’s owner or an admin)',
    middleware: guard,
    request: { params: KeyResultParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
};

async function checkOwner(c: VarsOf<MemberEnv>, ownerId: string) {
  if (!(await findMembership(c.var.deps.sql, c.var.membership.id, ownerId))) {
    throw badRequest('Invalid request', [{ path: 'ownerId', message: 'must be a member of this organization' }]);
  }
}

/** The owner of an objective of this organization (undefined when there is none): key results are theirs too. */
async function objectiveOwner(c: VarsOf<MemberEnv>, objectiveId: string): Promise<string | undefined> {
  return (await listObjectives(c.var.deps.sql, c.var.membership.id)).find((o) => o.id === objectiveId)?.ownerId;
}

/** The objective a key result of this organization belongs to (undefined when there is none). */
async function objectiveOfKeyResult(c: VarsOf<MemberEnv>, keyResultId: string): Promise<string | undefined> {
  return (await listKeyResults(c.var.deps.sql, c.var.membership.id)).find((kr) => kr.id === keyResultId)?.objectiveId;
}

async function checkKeyResultReferences(c: VarsOf<MemberEnv>, input: { objectiveId: string; metricId: string | null }) {
  const orgId = c.var.membership.id;
  const issues: Issue[] = [];
  if (!(await idsInOrganization(c.var.deps.sql, 'objectives', orgId, [input.objectiveId])).size) {
    issues.push({ path: 'objectiveId', message: 'is not an objective of this organization' });
  }
  if (input.metricId && !(await idsInOrganization(c.var.deps.sql, 'metrics', orgId, [input.metricId])).size) {
    issues.push({ path: 'metricId', message: 'is not a metric of this organization' });
  }
  if (issues.length) throw badRequest('Invalid request', issues);
}

type ObjectiveInput = z.output<typeof ObjectiveBodySchema>;
type KeyResultInput = z.output<typeof KeyResultBodySchema>;

/** Writes a whole objective (PUT, or PATCH merged over what is stored), under the ownership rule. */
async function replaceObjective(c: VarsOf<MemberEnv>, objectiveId: string, input: ObjectiveInput): Promise<void> {
  const ownerId = await objectiveOwner(c, objectiveId);
  if (ownerId === undefined) throw notFound('No such objective in this organization');
  requirePortfolioRight(c, 'objective', 'change', ownerId);
  await checkOwner(c, input.ownerId);
  if (!(await updateObjective(c.var.deps.sql, c.var.membership.id, objectiveId, input, c.var.deps.now())))
    throw notFound('No such objective in this organization');
}

/** Writes a whole key result; moving it under another objective needs that objective's owner too. */
async function replaceKeyResult(c: VarsOf<MemberEnv>, keyResultId: string, input: KeyResultInput): Promise<void> {
  const objectiveId = await objectiveOfKeyResult(c, keyResultId);
  if (objectiveId === undefined) throw notFound('No such key result in this organization');
  requirePortfolioRight(c, 'key result', 'change', (await objectiveOwner(c, objectiveId)) ?? null);
  await checkKeyResultReferences(c, input);
  if (input.objectiveId !== objectiveId)
    requirePortfolioRight(c, 'key result', 'change', (await objectiveOwner(c, input.objectiveId)) ?? null);
  if (!(await updateKeyResult(c.var.deps.sql, c.var.membership.id, keyResultId, input, c.var.deps.now())))
    throw notFound('No such key result in this organization');
}

export function objectiveRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    await checkOwner(c, input.ownerId);
    const id = await insertObjective(c.var.deps.sql, c.var.membership.id, input);
    const objective = (await listObjectives(c.var.deps.sql, c.var.membership.id)).find((o) => o.id === id)!;
    return c.json(
      { objective: { id, title: objective.title, description: objective.description, owner: objective.owner } },
      201,
    );
  });

  app.openapi(routes.list, async (c) => {
    const [objectives, keyResults] = await Promise.all([
      listObjectives(c.var.deps.sql, c.var.membership.id),
      listKeyResults(c.var.deps.sql, c.var.membership.id),
    ]);
    return c.json(
      {
        objectives: objectives.map(({ id, title, description, owner }) => ({ id, title, description, owner })),
        keyResults: keyResults.map(({ id, objectiveId, title, metricId }) => ({ id, objectiveId, title, metricId })),
      },
      200,
    );
  });

  app.openapi(routes.update, async (c) => {
    await replaceObjective(c, c.req.valid('param').objectiveId, c.req.valid('json'));
    return c.body(null, 204);
  });

  app.openapi(routes.patch, async (c) => {
    const { objectiveId } = c.req.valid('param');
    const current = (await listObjectives(c.var.deps.sql, c.var.membership.id)).find((o) => o.id === objectiveId);
    if (!current) throw notFound('No such objective in this organization');
    const { title, description, ownerId } = current;
    const merged = ObjectiveBodySchema.safeParse({ title, description, ownerId, ...c.req.valid('json') });
    if (!merged.success) throw badRequest('Invalid request', zodIssues(merged.error));
    await replaceObjective(c, objectiveId, merged.data);
    return c.body(null, 204);
  });

  app.openapi(routes.remove, async (c) => {
    const ownerId = await objectiveOwner(c, c.req.valid('param').objectiveId);
    if (ownerId === undefined) throw notFound('No such objective in this organization');
    requirePortfolioRight(c, 'objective', 'remove', ownerId);
    if (!(await deleteObjective(c.var.deps.sql, c.var.membership.id, c.req.valid('param').objectiveId))) {
      throw notFound('No such objective in this organization');
    }
    return c.body(null, 204);
  });

  app.openapi(routes.createKeyResult, async (c) => {
    const input = c.req.valid('json');
    await checkKeyResultReferences(c, input);
    requirePortfolioRight(c, 'key result', 'create', (await objectiveOwner(c, input.objectiveId)) ?? null);
    const id = await insertKeyResult(c.var.deps.sql, c.var.membership.id, input);
    return c.json({ keyResult: { id, ...input } }, 201);
  });

  app.openapi(routes.updateKeyResult, async (c) => {
    await replaceKeyResult(c, c.req.valid('param').keyResultId, c.req.valid('json'));
    return c.body(null, 204);
  });

  app.openapi(routes.patchKeyResult, async (c) => {
    const { keyResultId } = c.req.valid('param');
    const current = (await listKeyResults(c.var.deps.sql, c.var.membership.id)).find((kr) => kr.id === keyResultId);
    if (!current) throw notFound('No such key result in this organization');
    const { objectiveId, title, metricId } = current;
    const merged = KeyResultBodySchema.safeParse({ objectiveId, title, metricId, ...c.req.valid('json') });
    if (!merged.success) throw badRequest('Invalid request', zodIssues(merged.error));
    await replaceKeyResult(c, keyResultId, merged.data);
    return c.body(null, 204);
  });

  app.openapi(routes.removeKeyResult, async (c) => {
    const objectiveId = await objectiveOfKeyResult(c, c.req.valid('param').keyResultId);
    if (objectiveId === undefined) throw notFound('No such key result in this organization');
    requirePortfolioRight(c, 'key result', 'remove', (await objectiveOwner(c, objectiveId)) ?? null);
    if (!(await deleteKeyResult(c.var.deps.sql, c.var.membership.id, c.req.valid('param').keyResultId))) {
      throw notFound('No such key result in this organization');
    }
    return c.body(null, 204);
  });

  return app;
}
