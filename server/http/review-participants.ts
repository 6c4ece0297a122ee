// A review's room roles: the facilitator (or an organization admin) gives a member a role in the room; the live
// board and every open socket of that member follow at once.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { markReviewChanged, recordRole } from '../domain/board.ts';
import { roomAccess } from '../domain/review-roles.ts';
import { findMembership } from '../store/organizations.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { setParticipantRole } from '../store/review-participants.ts';
import type { AppEnv } from './context.ts';
import { badRequest, validationHook } from './errors.ts';
import { requireFacilitator, requireReviewMember } from './middleware/require-review-member.ts';
import { ParticipantParams, ReviewResponse, SetRoleSchema } from './review-schemas.ts';
import { reviewView } from './review-views.ts';
import { errors, jsonBody, jsonResponse } from './route-helpers.ts';

const role = createRoute({
  method: 'put',
  path: '/reviews/{reviewId}/participants/{userId}',
  tags: ['reviews'],
  // Nobody raises their own rights: a viewer or member whose facilitator left asks an admin to hand the room over.
  summary: 'Give a member a room role (facilitator or organization admin)',
  middleware: [requireReviewMember, requireFacilitator] as const,
  request: { params: ParticipantParams, body: jsonBody(SetRoleSchema) },
  responses: { 200: jsonResponse(ReviewResponse, 'Role set'), ...errors(400, 401, 403, 404, 409) },
});

export function reviewParticipantRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(role, async (c) => {
    const { userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const { sql, now, rooms } = c.var.deps;
    const review = c.var.review;
    if (!(await findMembership(sql, review.organizationId, userId)))
      throw badRequest('Invalid request', [{ path: 'param.userId', message: 'must be a member of this organization' }]);
    await setParticipantRole(sql, review.id, userId, role);
    await appendReviewEvent(sql, review.id, {
      kind: 'review.role',
      actorId: c.var.user.id,
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
