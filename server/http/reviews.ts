// Reviews: schedule one (its board's agenda is generated from its scope), read it, run it (start, phases,
// close) and manage its room roles.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as Y from 'yjs';
import { requireMember } from '../auth/middleware.ts';
import { transaction } from '../db/connect.ts';
import { generateAgenda, initializeBoard, markReviewChanged, recordRole, setPhase } from '../domain/board.ts';
import { canFacilitate, roomAccess } from '../domain/review-roles.ts';
import { sameDayReviews, scheduleProblem } from '../domain/review-schedule.ts';
import { worstStatus, type Status } from '../domain/slip.ts';
import { recapAtClose } from '../services/minutes.ts';
import { appendBoardUpdates } from '../store/board-log.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { idsInOrganization } from '../store/objectives.ts';
import { findMembership, listMembers } from '../store/organizations.ts';
import {
  appendReviewEvent,
  findParticipantRole,
  findReview,
  insertReview,
  listParticipants,
  listReviews,
  setParticipantRole,
  setReviewPhase,
  transitionReview,
  updateReviewDetails,
  type ReviewRow,
  type ReviewStatus,
} from '../store/reviews.ts';
import type { AppEnv } from './context.ts';
import { badRequest, conflict, forbidden, notFound, unauthorized, validationHook, type Issue } from './errors.ts';
import { viewInitiatives, viewMetrics } from './portfolio-views.ts';
import {
  CreateReviewSchema,
  ItemParams,
  ParticipantParams,
  ReviewParams,
  ReviewSchema,
  ReviewSummarySchema,
  SameDaySchema,
  SetPhaseSchema,
  SetRoleSchema,
  UpdateReviewSchema,
} from './review-schemas.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { OrgParams } from './schemas.ts';
import { z } from 'zod';

/** For /reviews/:reviewId routes: a member of the review's organization, with their room role. */
export const requireReviewMember = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.var.user;
  if (!user) throw unauthorized();
  const reviewId = c.req.param('reviewId');
  if (!reviewId || !z.uuid().safeParse(reviewId).success)
    throw badRequest('Invalid request', [{ path: 'param.reviewId', message: 'must be a review id (UUID)' }]);
  const review = await findReview(c.var.deps.sql, reviewId);
  if (!review) throw notFound('No such review');
  const membership = await findMembership(c.var.deps.sql, review.organizationId, user.id);
  if (!membership) throw forbidden('You are not a member of this review’s organization');
  c.set('membership', membership);
  c.set('organizationId', review.organizationId);
  c.set('review', review);
  c.set('roomRole', roomAccess(await findParticipantRole(c.var.deps.sql, review.id, user.id), review.status).role);
  await next();
});

const requireFacilitator = createMiddleware<AppEnv>(async (c, next) => {
  if (!canFacilitate(c.var.roomRole, c.var.membership.role))
    throw forbidden('Only the facilitator (or an organization admin) can do this');
  await next();
});

const ReviewResponse = z.object({ review: ReviewSchema });

/** A 400 naming `scheduledAt` when the start is in the past (tests and the demo seed past reviews via the store). */
function refusePastStart(scheduledAt: Date, now: Date): void {
  const problem = scheduleProblem(scheduledAt, now);
  if (problem) throw badRequest(problem, [{ path: 'scheduledAt', message: problem }]);
}
const tags = ['reviews'];

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
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ReviewParams, body: jsonBody(UpdateReviewSchema) },
    responses: { 200: jsonResponse(ReviewResponse, 'Changed'), ...errors(400, 401, 403, 404) },
  }),
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
  role: createRoute({
    method: 'put',
    path: '/reviews/{reviewId}/participants/{userId}',
    tags,
    // Nobody raises their own rights: a viewer or member whose facilitator left asks an admin to hand the room over.
    summary: 'Give a member a room role (facilitator or organization admin)',
    middleware: [requireReviewMember, requireFacilitator] as const,
    request: { params: ParticipantParams, body: jsonBody(SetRoleSchema) },
    responses: { 200: jsonResponse(ReviewResponse, 'Role set'), ...errors(400, 401, 403, 404, 409) },
  }),
};

/** The effective status of a scoped metric or initiative: the owner's override, else the computed one. */
async function scopeOf(c: Context<AppEnv>, organizationId: string, metricIds: string[], initiativeIds: string[]) {
  const { sql } = c.var.deps;
  const [metricRows, initiativeRows] = await Promise.all([
    listMetrics(sql, organizationId),
    initiativeIds.length ? listInitiatives(sql, organizationId) : Promise.resolve([]),
  ]);
  const metrics = await viewMetrics(c.var.deps, metricRows);
  const metricStatus = new Map<string, Status>(metrics.map((m) => [m.id, m.assessment.status]));
  const wantedMetrics = new Set(metricIds);
  const wantedInitiatives = new Set(initiativeIds);
  const initiatives = await viewInitiatives(
    c.var.deps,
    initiativeRows.filter((row) => wantedInitiatives.has(row.id)),
    metricStatus,
  );
  return {
    metrics: metrics
      .filter((m) => wantedMetrics.has(m.id))
      .map((m) => ({
        id: m.id,
        title: m.name,
        status: m.override?.status ?? m.assessment.status,
        ownerId: m.owner.id,
      })),
    initiatives: initiatives.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.override?.status ?? worstStatus([i.status.delivery, i.status.value]),
      ownerId: i.owner.id,
    })),
  };
}

function toSummary(review: ReviewRow) {
  return {
    id: review.id,
    organizationId: review.organizationId,
    series: review.series,
    title: review.title,
    scheduledAt: iso(review.scheduledAt),
    status: review.status,
    phase: review.phase,
    startedAt: isoOrNull(review.startedAt),
    closedAt: isoOrNull(review.closedAt),
    metricIds: review.metricIds,
    initiativeIds: review.initiativeIds,
  };
}

async function reviewView(c: Context<AppEnv>, reviewId: string) {
  const { sql } = c.var.deps;
  const review = await findReview(sql, reviewId);
  if (!review) throw notFound('No such review');
  const user = c.var.user!;
  const [participants, scope, explicitRole] = await Promise.all([
    listParticipants(sql, reviewId),
    scopeOf(c, review.organizationId, review.metricIds, review.initiativeIds),
    findParticipantRole(sql, reviewId, user.id),
  ]);
  const access = roomAccess(explicitRole, review.status);
  return {
    ...toSummary(review),
    participants,
    metrics: scope.metrics,
    initiatives: scope.initiatives,
    me: {
      role: access.role,
      readOnly: access.readOnly,
      canFacilitate: canFacilitate(access.role, c.var.membership.role),
    },
  };
}

async function checkCreateReferences(
  c: Context<AppEnv>,
  organizationId: string,
  input: z.infer<typeof CreateReviewSchema>,
): Promise<void> {
  const { sql } = c.var.deps;
  const issues: Issue[] = [];
  const metricIds = input.metricIds ?? [];
  const initiativeIds = input.initiativeIds ?? [];
  if (
    metricIds.length &&
    (await idsInOrganization(sql, 'metrics', organizationId, metricIds)).size !== metricIds.length
  )
    issues.push({ path: 'metricIds', message: 'must all be metrics of this organization' });
  if (
    initiativeIds.length &&
    (await idsInOrganization(sql, 'initiatives', organizationId, initiativeIds)).size !== initiativeIds.length
  )
    issues.push({ path: 'initiativeIds', message: 'must all be initiatives of this organization' });
  const participants = input.participants ?? [];
  const members = new Set((await listMembers(sql, organizationId)).map((m) => m.userId));
  participants.forEach((p, index) => {
    if (!members.has(p.userId))
      issues.push({ path: `participants.${index}.userId`, message: 'must be a member of this organization' });
  });
  if (new Set(participants.map((p) => p.userId)).size !== participants.length)
    issues.push({ path: 'participants', message: 'must name each member once' });
  if (participants.filter((p) => p.role === 'facilitator').length > 1)
    issues.push({ path: 'participants', message: 'may have one facilitator at most' });
  if (issues.length) throw badRequest('Invalid request', issues);
}

async function transition(c: Context<AppEnv>, from: ReviewStatus, to: ReviewStatus, kind: string) {
  const { sql, now } = c.var.deps;
  const review = c.var.review;
  await transaction(sql, async (tx) => {
    if (!(await transitionReview(tx, review.id, from, to, now())))
      throw conflict(`The review is ${review.status}, so it cannot be ${to === 'live' ? 'started' : 'closed'}`);
    await appendReviewEvent(tx, review.id, { kind, actorId: c.var.user!.id, at: now() });
  });
}

/** Tells the organization's live pages (the home's "Live now") that a review started or closed. */
function publishStatus(c: Context<AppEnv>, type: 'review.started' | 'review.closed') {
  const { id, organizationId, title } = c.var.review;
  c.var.deps.events.publish({ type, organizationId, reviewId: id, title, at: c.var.deps.now().toISOString() });
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
    await checkCreateReferences(c, organizationId, input);
    const metricIds = input.metricIds ?? [];
    const initiativeIds = input.initiativeIds ?? [];
    const userId = c.var.user!.id;
    const named = input.participants ?? [];
    const participants = named.some((p) => p.role === 'facilitator')
      ? named
      : [...named.filter((p) => p.userId !== userId), { userId, role: 'facilitator' as const }];

    const doc = new Y.Doc();
    initializeBoard(
      doc,
      generateAgenda(await scopeOf(c, organizationId, metricIds, initiativeIds), () => crypto.randomUUID()),
      { facilitatorId: participants.find((p) => p.role === 'facilitator')?.userId ?? null },
    );
    const board = Y.encodeStateAsUpdate(doc);
    doc.destroy();

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
    c.set('review', (await findReview(sql, reviewId))!);
    return c.json(
      {
        review: await reviewView(c, reviewId),
        sameDay: sameDay.map((review) => ({
          id: review.id,
          title: review.title,
          scheduledAt: iso(review.scheduledAt),
        })),
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
    return c.json({ review: await reviewView(c, c.var.review.id) }, 200);
  });

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
      actorId: c.var.user!.id,
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
    if (!(await c.var.deps.triage.dismiss(c.var.review.id, itemId, c.var.user!.id)))
      throw notFound('No open triage pivot on this item');
    return c.body(null, 204);
  });

  app.openapi(routes.role, async (c) => {
    const { userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const { sql, now, rooms } = c.var.deps;
    const review = c.var.review;
    const me = c.var.user!.id;
    if (!(await findMembership(sql, review.organizationId, userId)))
      throw badRequest('Invalid request', [{ path: 'param.userId', message: 'must be a member of this organization' }]);
    await setParticipantRole(sql, review.id, userId, role);
    await appendReviewEvent(sql, review.id, {
      kind: 'review.role',
      actorId: me,
      at: now(),
      data: { userId, role },
    });
    rooms.setRoomRole(review.id, userId, role, roomAccess(role, review.status).readOnly);
    // Everyone in the room learns who facilitates now through the board itself.
    await rooms.edit(review.id, (doc) => {
      recordRole(doc, userId, role);
      markReviewChanged(doc);
    });
    return c.json({ review: await reviewView(c, review.id) }, 200);
  });

  return app;
}
