// An action item's commitments: its owner commits to it ("I commit") or proposes another due date, and the
// facilitator of the review it was decided in (or an admin) accepts that date or keeps the current one.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { canFacilitate } from '../domain/review-roles.ts';
import { dueDateError, transitionError } from '../domain/action-items.ts';
import { findActionItem, updateActionItem } from '../store/action-items.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { changedMeanwhile, mirrorOnBoard, movedEffect, publish, roleInOriginReview } from './action-changes.ts';
import { ActionResponse, CommitSchema, DecideDateSchema, ProposeDateSchema } from './action-input-schemas.ts';
import { toAction } from './action-schemas.ts';
import type { AppEnv } from './context.ts';
import { badRequest, conflict, forbidden, validationHook, type Issue } from './errors.ts';
import { requireActionAccess } from './middleware/require-action-access.ts';
import { ActionParams } from './params.ts';
import { errors, jsonBody, jsonResponse } from './route-helpers.ts';

const tags = ['action items'];

const routes = {
  commit: createRoute({
    method: 'post',
    path: '/actions/{actionId}/commit',
    tags,
    summary: 'The owner commits to the action item ("I commit")',
    middleware: [requireActionAccess] as const,
    request: { params: ActionParams, body: { content: { 'application/json': { schema: CommitSchema } } } },
    responses: { 200: jsonResponse(ActionResponse, 'Committed'), ...errors(400, 401, 403, 404, 409) },
  }),
  proposeDate: createRoute({
    method: 'post',
    path: '/actions/{actionId}/proposed-due-date',
    tags,
    summary: 'The owner proposes a different due date; the facilitator accepts it or not',
    middleware: [requireActionAccess] as const,
    request: { params: ActionParams, body: jsonBody(ProposeDateSchema) },
    responses: { 200: jsonResponse(ActionResponse, 'Proposed'), ...errors(400, 401, 403, 404, 409) },
  }),
  decideDate: createRoute({
    method: 'post',
    path: '/actions/{actionId}/proposed-due-date/decision',
    tags,
    summary: "The review's facilitator accepts the owner's proposed due date, or keeps the current one",
    middleware: [requireActionAccess] as const,
    request: { params: ActionParams, body: jsonBody(DecideDateSchema) },
    responses: { 200: jsonResponse(ActionResponse, 'Decided'), ...errors(400, 401, 403, 404, 409) },
  }),
};

export function actionCommitmentRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.commit, async (c) => {
    const action = c.var.action;
    const userId = c.var.user.id;
    const { sql, now } = c.var.deps;
    const problem = transitionError(action.status, 'committed', {
      actorIsOwner: action.ownerId === userId,
      reason: null,
    });
    if (problem === 'only the owner can commit to an action item')
      throw forbidden(`Only ${action.owner.name} can commit to this`);
    if (problem) throw conflict(`This action item ${problem}`);
    const version = c.req.valid('json').version ?? action.version;
    const at = now();
    if (
      !(await updateActionItem(
        sql,
        action.id,
        version,
        { status: 'committed', committedAt: at },
        { actorId: userId, at, change: 'committed' },
      ))
    )
      throw changedMeanwhile();
    const row = (await findActionItem(sql, action.id))!;
    await mirrorOnBoard(c.var.deps, row);
    publish(c, row, 'committed', at);
    // The commitment is a moment of the review it was decided in (replay shows it there).
    if (row.reviewId)
      await appendReviewEvent(sql, row.reviewId, {
        kind: 'action.committed',
        actorId: userId,
        at,
        data: { actionId: row.id, itemId: row.itemId },
      });
    return c.json({ action: toAction(row, at) }, 200);
  });

  app.openapi(routes.proposeDate, async (c) => {
    const action = c.var.action;
    const input = c.req.valid('json');
    const userId = c.var.user.id;
    const { sql, now } = c.var.deps;
    if (action.ownerId !== userId) throw forbidden(`Only ${action.owner.name} can propose another due date`);
    if (action.status !== 'proposed' && action.status !== 'committed')
      throw conflict(`This action item is ${action.status}`);
    const issues: Issue[] = [];
    const late = dueDateError(input.dueDate, now());
    if (late) issues.push({ path: 'dueDate', message: late });
    if (input.dueDate === action.dueDate) issues.push({ path: 'dueDate', message: 'is already the due date' });
    if (issues.length) throw badRequest('Invalid request', issues);
    const at = now();
    if (
      !(await updateActionItem(
        sql,
        action.id,
        input.version ?? action.version,
        { proposedDueDate: input.dueDate },
        { actorId: userId, at, change: 'due date proposed' },
      ))
    )
      throw changedMeanwhile();
    const row = (await findActionItem(sql, action.id))!;
    await mirrorOnBoard(c.var.deps, row);
    return c.json({ action: toAction(row, at) }, 200);
  });

  app.openapi(routes.decideDate, async (c) => {
    const action = c.var.action;
    const input = c.req.valid('json');
    const userId = c.var.user.id;
    const { sql, now } = c.var.deps;
    if (!canFacilitate(await roleInOriginReview(c.var.deps, action, userId), c.var.membership.role))
      throw forbidden('Only the facilitator of the review (or an organization admin) can decide on the due date');
    if (!action.proposedDueDate) throw conflict('No other due date is proposed');
    const at = now();
    if (
      !(await updateActionItem(
        sql,
        action.id,
        input.version ?? action.version,
        input.accept
          ? { dueDate: action.proposedDueDate, proposedDueDate: null, ...movedEffect(action, action.proposedDueDate) }
          : { proposedDueDate: null },
        { actorId: userId, at, change: input.accept ? 'due date accepted' : 'due date declined' },
      ))
    )
      throw changedMeanwhile();
    const row = (await findActionItem(sql, action.id))!;
    await mirrorOnBoard(c.var.deps, row);
    if (input.accept) publish(c, row, 'due date changed', at);
    return c.json({ action: toAction(row, at) }, 200);
  });

  return app;
}
