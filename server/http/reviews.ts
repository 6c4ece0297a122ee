// Reviews: schedule one (its board's agenda is generated from its scope), list them, read one, rename or
// reschedule it. Running a review is review-lifecycle.ts; its room roles are review-participants.ts.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import * as Y from 'yjs';
import { transaction } from '../db/connect.ts';
import { generateAgenda, initializeBoard, markReviewChanged } from '../domain/board.ts';
import { sameDayReviews, scheduleProblem } from '../domain/review-schedule.ts';
import { appendBoardUpdates } from '../store/board-log.ts';
import { reviewReferenceProblems } from '../services/review-references.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { insertReview, listReviews, updateReviewDetails } from '../store/reviews.ts';
import type { AppDeps, AppEnv } from './context.ts';
import { badRequest, validationHook } from './errors.ts';
import { requireMember } from './middleware/require-member.ts';
import { requireFacilitator, requireReviewMember } from './middleware/require-review-member.ts';
import { OrgParams, ReviewParams } from './params.ts';
import {
  CreateReviewSchema,
  ReviewResponse,
  ReviewSummarySchema,
  SameDaySchema,
  UpdateReviewSchema,
} from './review-schemas.ts';
import { reviewView, scopeOf, toSummary } from './review-views.ts';
import { errors, iso, jsonBody, jsonResponse } from './route-helpers.ts';

const tags = ['reviews'];

/** A 400 naming `scheduledAt` when the start is in the past (tests and the demo seed past reviews via the store). */
function refusePastStart(scheduledAt: Date, now: Date): void {
  const problem = scheduleProblem(scheduledAt, now);
  if (problem) throw badRequest(problem, [{ path: 'scheduledAt', message: problem }]);
}

const routes = {
  create: createRoute({
    method: 'post',
    path: '/orgs/{orgId}/reviews',
    tags,
    summary: 'Schedule a review; its agenda is generated from its scope, worst status first',
    middleware: requireMember,
    request: { params: OrgParams, body: jsonBody(CreateReviewSchema) },
    responses: {
      201: jsonResponse(ReviewResponse.extend({ sameDay: SameDaySchema }), 'Scheduled'),
      ...errors(400, 401, 403),
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/orgs/{orgId}/reviews',
    tags,
    summary: 'Reviews of the organization, latest first',
    middleware: requireMember,
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(z.object({ reviews: z.array(ReviewSummarySchema) }), 'Reviews'),
      ...errors(400, 401, 403),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}',
    tags,
    summary: 'A review with its participants, scope, status and your room role',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams },
    responses: { 200: jsonResponse(ReviewResponse, 'The review'), ...errors(400, 401, 403, 404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/reviews/{reviewId}',
    tags,
    summary: 'Rename or reschedule a review (facilitator)',
    description:
      'Like scheduling, a new title or time that matches another review of the same title on the same calendar ' +
      'day is changed and flagged in `sameDay` (empty when nothing clashes or neither changed).',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ReviewParams, body: jsonBody(UpdateReviewSchema) },
    responses: {
      200: jsonResponse(ReviewResponse.extend({ sameDay: SameDaySchema }), 'Changed'),
      ...errors(400, 401, 403, 404),
    },
  }),
};

/** Another review that shares the title and the day, as `sameDay` lists it. */
const sameDayEntry = (review: { id: string; title: string; scheduledAt: Date }) => ({
  id: review.id,
  title: review.title,
  scheduledAt: iso(review.scheduledAt),
});

/** The new review's board: its agenda generated from the scope, worst status first, as one Yjs update. */
async function firstBoardUpdate(
  deps: AppDeps,
  organizationId: string,
  scope: { metricIds: string[]; initiativeIds: string[] },
  facilitatorId: string | null,
): Promise<Uint8Array> {
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    generateAgenda(await scopeOf(deps, organizationId, scope.metricIds, scope.initiativeIds), () =>
      crypto.randomUUID(),
    ),
    { facilitatorId },
  );
  const board = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return board;
}

export function reviewRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    const organizationId = c.var.membership.id;
    const { sql, now } = c.var.deps;
    const at = now();
    const scheduledAt = input.scheduledAt ? new Date(input.scheduledAt) : at;
    refusePastStart(scheduledAt, at);
    const metricIds = input.metricIds ?? [];
    const initiativeIds = input.initiativeIds ?? [];
    const named = input.participants ?? [];
    const problems = await reviewReferenceProblems(sql, organizationId, {
      metricIds,
      initiativeIds,
      participants: named,
    });
    if (problems.length) throw badRequest('Invalid request', problems);
    const userId = c.var.user.id;
    const participants = named.some((p) => p.role === 'facilitator')
      ? named
      : [...named.filter((p) => p.userId !== userId), { userId, role: 'facilitator' as const }];
    const board = await firstBoardUpdate(
      c.var.deps,
      organizationId,
      { metricIds, initiativeIds },
      participants.find((p) => p.role === 'facilitator')?.userId ?? null,
    );

    const reviewId = crypto.randomUUID();
    // Flagged, not refused: a second session of the same review on one day is legitimate, so the UI asks first.
    const sameDay = sameDayReviews(
      await listReviews(sql, organizationId),
      { title: input.title, scheduledAt },
      input.timeZone ?? 'UTC',
    );
    await transaction(sql, async (tx) => {
      await insertReview(tx, organizationId, {
        id: reviewId,
        title: input.title,
        seriesTitle: input.series ?? null,
        scheduledAt,
        metricIds,
        initiativeIds,
        createdBy: userId,
        participants,
      });
      // The generated agenda is the board's first update, written by the server.
      await appendBoardUpdates(tx, reviewId, [{ update: board, authorId: null, at }]);
      await appendReviewEvent(tx, reviewId, { kind: 'review.scheduled', actorId: userId, at });
    });
    return c.json(
      {
        review: await reviewView(c, reviewId),
        sameDay: sameDay.map(sameDayEntry),
      },
      201,
    );
  });

  app.openapi(routes.list, async (c) => {
    const reviews = await listReviews(c.var.deps.sql, c.var.membership.id);
    return c.json({ reviews: reviews.map(toSummary) }, 200);
  });

  app.openapi(routes.get, async (c) => c.json({ review: await reviewView(c, c.var.review.id) }, 200));

  app.openapi(routes.update, async (c) => {
    const input = c.req.valid('json');
    if (input.scheduledAt) refusePastStart(new Date(input.scheduledAt), c.var.deps.now());
    await updateReviewDetails(
      c.var.deps.sql,
      c.var.review.id,
      { title: input.title, scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : undefined },
      c.var.deps.now(),
    );
    await c.var.deps.rooms.edit(c.var.review.id, markReviewChanged);
    const review = await reviewView(c, c.var.review.id);
    // Flagged as on scheduling, for a move or a new title only: leaving both alone raises nothing new.
    const sameDay =
      input.title !== undefined || input.scheduledAt !== undefined
        ? sameDayReviews(await listReviews(c.var.deps.sql, c.var.membership.id), review, input.timeZone ?? 'UTC')
        : [];
    return c.json({ review, sameDay: sameDay.map(sameDayEntry) }, 200);
  });

  return app;
}
