// For /reviews/:reviewId/… routes: a member of the review's organization (403 for anyone else), with their room
// role in it; and the facilitator check after it.
import { createMiddleware } from 'hono/factory';
import type { RoomRole } from '../../domain/board.ts';
import { canFacilitate, roomAccess } from '../../domain/review-roles.ts';
import type { OrganizationForUser } from '../../store/organizations.ts';
import { findMembership } from '../../store/organizations.ts';
import { findParticipantRole } from '../../store/review-participants.ts';
import { findReview, type ReviewRow } from '../../store/reviews.ts';
import type { AppEnv } from '../context.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';
import { pathId, ReviewParams } from '../params.ts';
import { signedIn } from './load-session.ts';
import type { MemberEnv } from './require-member.ts';

export type ReviewEnv = MemberEnv & { Variables: { organizationId: string; review: ReviewRow; roomRole: RoomRole } };

export const requireReviewMember = createMiddleware<ReviewEnv>(async (c, next) => {
  const found = signedIn(c);
  if (!found) throw unauthorized();
  const { sql } = c.var.deps;
  const review = await findReview(sql, pathId(c, 'reviewId', ReviewParams.shape.reviewId));
  if (!review) throw notFound('No such review');
  const membership = await findMembership(sql, review.organizationId, found.user.id);
  if (!membership) throw forbidden('You are not a member of this review’s organization');
  c.set('user', found.user);
  c.set('session', found.session);
  c.set('membership', membership);
  c.set('organizationId', review.organizationId);
  c.set('review', review);
  c.set('roomRole', roomAccess(await findParticipantRole(sql, review.id, found.user.id), review.status).role);
  await next();
});

type FacilitatorCheckEnv = AppEnv & { Variables: { roomRole: RoomRole; membership: OrganizationForUser } };

const facilitatorCheck = (refusal: string) =>
  createMiddleware<FacilitatorCheckEnv>(async (c, next) => {
    if (!canFacilitate(c.var.roomRole, c.var.membership.role)) throw forbidden(refusal);
    await next();
  });

/** After requireReviewMember: the facilitator or an organization admin, else 403. */
export const requireFacilitator = facilitatorCheck('Only the facilitator (or an organization admin) can do this');
export const requireShareManager = facilitatorCheck(
  'Only the facilitator (or an organization admin) can manage share links',
);
