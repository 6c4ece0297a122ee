// Decisions recorded as action items: created idempotently from the room (the client picks the id), read with
// their history, changed by their owner, their review's facilitator or an admin with optimistic concurrency.
// Committing and moving the due date are action-commitments.ts; every change is kept as history.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  ACTION_CHANGE_REFUSAL,
  dueDateError,
  mayChangeActionItem,
  statusAfterReassignment,
  transitionError,
  type ActionStatus,
} from '../domain/action-items.ts';
import { findActionItem, insertActionItem, listHistory, updateActionItem } from '../store/action-items.ts';
import { idsInOrganization } from '../store/objectives.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { checkOwner, mirrorOnBoard, movedEffect, publish, roleInOriginReview } from './action-changes.ts';
import { ActionResponse, CreateActionSchema, UpdateActionSchema } from './action-input-schemas.ts';
import { ActionSchema, HistorySchema, toAction } from './action-schemas.ts';
import type { AppEnv } from './context.ts';
import { badRequest, conflict, forbidden, validationHook, type Issue } from './errors.ts';
import { requireActionAccess } from './middleware/require-action-access.ts';
import { requireReviewMember } from './middleware/require-review-member.ts';
import { ActionParams, ReviewParams } from './params.ts';
import { errors, iso, jsonBody, jsonResponse } from './route-helpers.ts';

const tags = ['action items'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/actions',
    tags,
    summary: 'Record a decision as an action item with one accountable owner (idempotent on its id)',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams, body: jsonBody(CreateActionSchema) },
    responses: {
      200: jsonResponse(ActionResponse, 'Already recorded (a retry)'),
      201: jsonResponse(ActionResponse, 'Recorded'),
      ...errors(400, 401, 403, 404, 409),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/actions/{actionId}',
    tags,
    summary: 'An action item with its history',
    middleware: [requireActionAccess] as const,
    request: { params: ActionParams },
    responses: {
      200: jsonResponse(z.object({ action: ActionSchema, history: HistorySchema }), 'The action item'),
      ...errors(400, 401, 404),
    },
  }),
  update: createRoute({
    method: 'patch',
    path: '/actions/{actionId}',
    tags,
    summary: 'Change an action item, or mark it done or dropped (with a reason); needs the version you saw',
    middleware: [requireActionAccess] as const,
    request: { params: ActionParams, body: jsonBody(UpdateActionSchema) },
    responses: { 200: jsonResponse(ActionResponse, 'Changed'), ...errors(400, 401, 403, 404, 409) },
  }),
};

export function actionRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    const review = c.var.review;
    const { sql, now } = c.var.deps;
    const existing = await findActionItem(sql, input.id);
    if (existing) {
      if (existing.reviewId !== review.id || existing.title !== input.title)
        throw conflict('This action item id is already used by another action item');
      return c.json({ action: toAction(existing, now()) }, 200);
    }
    if (c.var.roomRole === 'viewer') throw forbidden('Viewers cannot record decisions');
    if (review.status === 'closed') throw conflict('The review is closed');
    const issues: Issue[] = [];
    await checkOwner(c.var.deps, review.organizationId, input.ownerId, issues);
    const late = dueDateError(input.dueDate, now());
    if (late) issues.push({ path: 'dueDate', message: late });
    if (
      input.initiativeId &&
      !(await idsInOrganization(sql, 'initiatives', review.organizationId, [input.initiativeId])).size
    )
      issues.push({ path: 'initiativeId', message: 'is not an initiative of this organization' });
    if (input.metricId && !(await idsInOrganization(sql, 'metrics', review.organizationId, [input.metricId])).size)
      issues.push({ path: 'metricId', message: 'is not a metric of this organization' });
    if (input.expectedEffect) {
      if (!input.metricId) issues.push({ path: 'expectedEffect', message: 'needs a linked metric (metricId)' });
      const early = dueDateError(input.expectedEffect.by, now());
      if (early) issues.push({ path: 'expectedEffect.by', message: early });
    }
    if (issues.length) throw badRequest('Invalid request', issues);
    const created = await insertActionItem(
      sql,
      review.organizationId,
      {
        id: input.id,
        reviewId: review.id,
        itemId: input.itemId ?? null,
        title: input.title,
        ownerId: input.ownerId,
        dueDate: input.dueDate,
        initiativeId: input.initiativeId ?? null,
        metricId: input.metricId ?? null,
        expectedEffect: input.expectedEffect ?? null,
      },
      c.var.user.id,
      now(),
    );
    const row = (await findActionItem(sql, input.id))!;
    if (!created) return c.json({ action: toAction(row, now()) }, 200); // a concurrent duplicate won the race
    await mirrorOnBoard(c.var.deps, row);
    publish(c, row, 'recorded', now());
    await appendReviewEvent(sql, review.id, {
      kind: 'action.recorded',
      actorId: c.var.user.id,
      at: now(),
      data: { actionId: row.id, itemId: row.itemId, ownerId: row.ownerId, title: row.title, dueDate: row.dueDate },
    });
    return c.json({ action: toAction(row, now()) }, 201);
  });

  app.openapi(routes.get, async (c) => {
    const action = c.var.action;
    const history = await listHistory(c.var.deps.sql, action.id);
    return c.json(
      {
        action: toAction(action, c.var.deps.now()),
        history: history.map((entry) => ({ ...entry, at: iso(entry.at) })),
      },
      200,
    );
  });

  app.openapi(routes.update, async (c) => {
    const action = c.var.action;
    const input = c.req.valid('json');
    const userId = c.var.user.id;
    const { sql, now } = c.var.deps;
    const isOwner = action.ownerId === userId;
    const facilitatesItsReview = !isOwner && (await roleInOriginReview(c.var.deps, action, userId)) === 'facilitator';
    if (!mayChangeActionItem({ isOwner, facilitatesItsReview, isAdmin: c.var.membership.role === 'admin' }))
      throw forbidden(ACTION_CHANGE_REFUSAL);
    const issues: Issue[] = [];
    if (input.ownerId) await checkOwner(c.var.deps, action.organizationId, input.ownerId, issues);
    if (input.dueDate && input.dueDate !== action.dueDate) {
      const late = dueDateError(input.dueDate, now());
      if (late) issues.push({ path: 'dueDate', message: late });
    }
    if (input.status) {
      const problem = transitionError(action.status, input.status as ActionStatus, {
        actorIsOwner: action.ownerId === userId,
        reason: input.reason ?? null,
      });
      if (problem) issues.push({ path: 'status', message: problem });
    }
    if (issues.length) throw badRequest('Invalid request', issues);
    const at = now();
    // Nobody is committed on someone else's behalf: a committed item that changes hands waits for its new owner.
    const reassigned = input.ownerId !== undefined && input.ownerId !== action.ownerId;
    const status = input.status ?? (reassigned ? statusAfterReassignment(action.status) : undefined);
    const uncommitted = reassigned && status === 'proposed' && action.status === 'committed';
    const ok = await updateActionItem(
      sql,
      action.id,
      input.version,
      {
        title: input.title,
        ownerId: input.ownerId,
        dueDate: input.dueDate,
        ...(input.dueDate ? movedEffect(action, input.dueDate) : {}),
        status,
        dropReason: input.status === 'dropped' ? (input.reason ?? null) : undefined,
        committedAt: uncommitted ? null : undefined,
      },
      { actorId: userId, at, change: input.status ?? (uncommitted ? 'reassigned, awaiting commitment' : 'changed') },
    );
    if (!ok)
      throw conflict(
        `This action item changed meanwhile (you saw version ${input.version}, it is at ${action.version}); reload it and try again`,
      );
    const row = (await findActionItem(sql, action.id))!;
    await mirrorOnBoard(c.var.deps, row);
    publish(c, row, input.status ?? 'changed', at);
    return c.json({ action: toAction(row, at) }, 200);
  });

  return app;
}
