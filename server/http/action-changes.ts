// What the action item routes share: who may decide on an item (its origin review's roles), the checks of a new
// owner and a moved due date, and what follows every stored change (the board mirrors it, subscribers hear it).
import { effectDateAfterDueChange } from '../domain/action-items.ts';
import { roomAccess } from '../domain/review-roles.ts';
import type { ActionItemRow } from '../store/action-items.ts';
import { findMembership } from '../store/organizations.ts';
import { findParticipantRole } from '../store/review-participants.ts';
import { findReview } from '../store/reviews.ts';
import type { AppDeps, VarsOf } from './context.ts';
import { conflict, type Issue } from './errors.ts';
import type { UserEnv } from './middleware/require-user.ts';

/** Tells subscribers (notifications, webhooks) what happened to an action item. */
export function publish(c: VarsOf<UserEnv>, row: ActionItemRow, kind: 'recorded' | 'committed' | string, at: Date) {
  const data = {
    organizationId: row.organizationId,
    actionId: row.id,
    reviewId: row.reviewId,
    title: row.title,
    ownerId: row.ownerId,
    ownerName: row.owner.name,
    dueDate: row.dueDate,
    status: row.status,
    actorId: c.var.user.id,
    at: at.toISOString(),
  };
  const events = c.var.deps.events;
  if (kind === 'recorded') events.publish({ type: 'action.recorded', ...data });
  else if (kind === 'committed') events.publish({ type: 'action.committed', ...data });
  else events.publish({ type: 'action.changed', change: kind, ...data });
}

/** Shows the item's state on the board it was decided on, for everyone in the room, and on commitments checks. */
export const mirrorOnBoard = (deps: AppDeps, row: ActionItemRow) => deps.followUp.mirror(row);

/** The user's room role in the review the item was decided in (viewer when it came from nowhere). */
export async function roleInOriginReview({ sql }: AppDeps, action: ActionItemRow, userId: string) {
  const review = action.reviewId ? await findReview(sql, action.reviewId) : undefined;
  if (!review) return 'viewer' as const;
  return roomAccess(await findParticipantRole(sql, review.id, userId), review.status).role;
}

/** The expected effect's date, moved as far as the due date moves (nothing when the item promises no effect). */
export function movedEffect(action: ActionItemRow, dueDate: string): { expectedBy?: string } {
  if (!action.expectedEffect || dueDate === action.dueDate) return {};
  return { expectedBy: effectDateAfterDueChange(action.expectedEffect.by, action.dueDate, dueDate) };
}

/** An issue on `ownerId` unless the owner is a member of the item's organization. */
export async function checkOwner({ sql }: AppDeps, organizationId: string, ownerId: string, issues: Issue[]) {
  if (!(await findMembership(sql, organizationId, ownerId)))
    issues.push({ path: 'ownerId', message: 'must be a member of this organization' });
}

/** The 409 of a write that lost to another one (optimistic concurrency on the item's version). */
export const changedMeanwhile = () => conflict('This action item changed meanwhile; reload it and try again');
