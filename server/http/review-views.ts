// What the review routes answer: a review as its summary, or in full with its participants, its scope's current
// statuses and the asker's room role.
import { canFacilitate, roomAccess } from '../domain/review-roles.ts';
import { worstStatus, type Status } from '../domain/slip.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { findParticipantRole, listParticipants } from '../store/review-participants.ts';
import { findReview, type ReviewRow } from '../store/reviews.ts';
import type { AppDeps, VarsOf } from './context.ts';
import { notFound } from './errors.ts';
import type { MemberEnv } from './middleware/require-member.ts';
import { viewInitiatives, viewMetrics } from './portfolio-views.ts';
import { iso, isoOrNull } from './route-helpers.ts';

/** The effective status of a scoped metric or initiative: the owner's override, else the computed one. */
export async function scopeOf(deps: AppDeps, organizationId: string, metricIds: string[], initiativeIds: string[]) {
  const [metricRows, initiativeRows] = await Promise.all([
    listMetrics(deps.sql, organizationId),
    initiativeIds.length ? listInitiatives(deps.sql, organizationId) : Promise.resolve([]),
  ]);
  const metrics = await viewMetrics(deps, metricRows);
  const metricStatus = new Map<string, Status>(metrics.map((m) => [m.id, m.assessment.status]));
  const wantedMetrics = new Set(metricIds);
  const wantedInitiatives = new Set(initiativeIds);
  const initiatives = await viewInitiatives(
    deps,
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

export function toSummary(review: ReviewRow) {
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

/** The review as it is now (read again: the route may just have changed it), for the signed-in member. */
export async function reviewView(c: VarsOf<MemberEnv>, reviewId: string) {
  const { sql } = c.var.deps;
  const review = await findReview(sql, reviewId);
  if (!review) throw notFound('No such review');
  const [participants, scope, explicitRole] = await Promise.all([
    listParticipants(sql, reviewId),
    scopeOf(c.var.deps, review.organizationId, review.metricIds, review.initiativeIds),
    findParticipantRole(sql, reviewId, c.var.user.id),
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
