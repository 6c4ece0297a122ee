// Running a review (facilitator): go live, move through its phases, set a triage pivot aside, close it. Each
// step is kept in the review's event log and shown on the live board to everyone in the room.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { transaction } from '../db/connect.ts';
import { markReviewChanged, setPhase } from '../domain/board.ts';
import { recapAtClose } from '../services/minutes.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { type ReviewStatus, setReviewPhase, transitionReview } from '../store/reviews.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { conflict, notFound, validationHook } from './errors.ts';
import { requireFacilitator, requireReviewMember, type ReviewEnv } from './middleware/require-review-member.ts';
import { ReviewParams } from './params.ts';
import { ItemParams, ReviewResponse, SetPhaseSchema } from './review-schemas.ts';
import { reviewView } from './review-views.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';

const tags = ['reviews'];

const routes = {
  start: createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/start',
    tags,
    summary: 'Go live (facilitator)',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ReviewParams },
    responses: { 200: jsonResponse(ReviewResponse, 'Live'), ...errors(400, 401, 403, 404, 409) },
  }),
  close: createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/close',
    tags,
    summary: 'Close the review; its board becomes read-only (facilitator)',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ReviewParams },
    responses: { 200: jsonResponse(ReviewResponse, 'Closed'), ...errors(400, 401, 403, 404, 409) },
  }),
  phase: createRoute({
    method: 'put',
    path: '/reviews/{reviewId}/phase',
    tags,
    summary: 'Move the review to a phase (facilitator); the board follows',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ReviewParams, body: jsonBody(SetPhaseSchema) },
    responses: { 200: jsonResponse(ReviewResponse, 'Phase set'), ...errors(400, 401, 403, 404, 409) },
  }),
  dismiss: createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/items/{itemId}/dismiss-pivot',
    tags,
    summary: 'Set a triage pivot aside (facilitator); it stays dismissed until its metric recovers',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ItemParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404, 409) },
  }),
};

/** Moves the review from one status to the next, or 409 when it is not in `from` any more. */
async function transition(c: VarsOf<ReviewEnv>, from: ReviewStatus, to: ReviewStatus, kind: string) {
  const { sql, now } = c.var.deps;
  const review = c.var.review;
  await transaction(sql, async (tx) => {
    if (!(await transitionReview(tx, review.id, from, to, now())))
      throw conflict(`The review is ${review.status}, so it cannot be ${to === 'live' ? 'started' : 'closed'}`);
    await appendReviewEvent(tx, review.id, { kind, actorId: c.var.user.id, at: now() });
  });
}

/** Tells the organization's live pages (the home's "Live now") that a review started or closed. */
function publishStatus(c: VarsOf<ReviewEnv>, type: 'review.started' | 'review.closed') {
  const { id, organizationId, title } = c.var.review;
  c.var.deps.events.publish({ type, organizationId, reviewId: id, title, at: c.var.deps.now().toISOString() });
}

export function reviewLifecycleRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.start, async (c) => {
    await transition(c, 'scheduled', 'live', 'review.started');
    publishStatus(c, 'review.started');
    // Everyone already in the room sees it go live.
    await c.var.deps.rooms.edit(c.var.review.id, markReviewChanged);
    // Going live looks at every metric in scope: whatever is off track pivots now, in front of everyone.
    await c.var.deps.triage.run(c.var.review.id);
    // What earlier reviews of the series committed to comes back, overdue first.
    await c.var.deps.followUp.addCommitmentsCheck(c.var.review);
    return c.json({ review: await reviewView(c, c.var.review.id) }, 200);
  });

  app.openapi(routes.close, async (c) => {
    await transition(c, 'live', 'closed', 'review.closed');
    publishStatus(c, 'review.closed');
    await c.var.deps.rooms.edit(c.var.review.id, markReviewChanged);
    c.var.deps.rooms.makeReadOnly(c.var.review.id);
    // The minutes of the final board: kept, shown in the room, queued for webhooks; a failure never fails the close.
    await recapAtClose(c.var.deps, c.var.review);
    return c.json({ review: await reviewView(c, c.var.review.id) }, 200);
  });

  app.openapi(routes.phase, async (c) => {
    const { phase } = c.req.valid('json');
    const { sql, now, rooms } = c.var.deps;
    const review = c.var.review;
    if (review.status === 'closed') throw conflict('The review is closed');
    await setReviewPhase(sql, review.id, phase, now());
    await appendReviewEvent(sql, review.id, {
      kind: 'review.phase',
      actorId: c.var.user.id,
      at: now(),
      data: { from: review.phase, to: phase },
    });
    // The board shows the phase to everyone in the room; the database holds the authoritative value.
    await rooms.edit(review.id, (doc) => setPhase(doc, phase));
    return c.json({ review: await reviewView(c, review.id) }, 200);
  });

  app.openapi(routes.dismiss, async (c) => {
    const { itemId } = c.req.valid('param');
    if (c.var.review.status === 'closed') throw conflict('The review is closed');
    if (!(await c.var.deps.triage.dismiss(c.var.review.id, itemId, c.var.user.id)))
      throw notFound('No open triage pivot on this item');
    return c.body(null, 204);
  });

  return app;
}
