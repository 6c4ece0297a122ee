// The lifecycle of an action item: proposed → committed (by its owner, in the room) → done or dropped (with a
// reason). Pure rules; the API applies them.

export const ACTION_STATUSES = ['proposed', 'committed', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

const NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
  proposed: ['committed', 'dropped'],
  committed: ['done', 'dropped'],
  done: [],
  dropped: [],
};

/** Why a change of status is not allowed, or null when it is. */
export function transitionError(
  from: ActionStatus,
  to: ActionStatus,
  context: { actorIsOwner: boolean; reason: string | null },
): string | null {
  if (from === to) return `is already ${to}`;
  if (!NEXT[from].includes(to)) return `cannot go from ${from} to ${to}`;
  if (to === 'committed' && !context.actorIsOwner) return 'only the owner can commit to an action item';
  if (to === 'dropped' && !context.reason?.trim()) return 'needs a reason to drop it';
  return null;
}

/**
 * A commitment is personal: when a committed item changes hands it is proposed again, until the new owner says
 * "I commit" themselves. Other statuses are kept.
 */
export function statusAfterReassignment(status: ActionStatus): ActionStatus {
  return status === 'committed' ? 'proposed' : status;
}

/**
 * Who changes an action item (title, due date, owner, done or dropped): its accountable owner, the facilitator of
 * the review that recorded it, or an admin. Handing it to someone else is one of those changes, so nobody takes
 * over another's commitment by reassigning it to themselves.
 */
export function mayChangeActionItem(actor: { isOwner: boolean; facilitatesItsReview: boolean; isAdmin: boolean }) {
  return actor.isOwner || actor.facilitatesItsReview || actor.isAdmin;
}

export const ACTION_CHANGE_REFUSAL =
  'Only the owner of this action item, the facilitator of its review, or an admin can change it';

/** An ISO calendar date (YYYY-MM-DD) for a moment in a time zone. */
export function calendarDate(at: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** A due date may not lie in the past: today (anywhere on earth, UTC−12) is still fine. */
export function dueDateError(dueDate: string, now: Date): string | null {
  const earliest = calendarDate(now, 'Etc/GMT+12');
  return dueDate < earliest ? `must not be in the past (earliest ${earliest})` : null;
}

/** Open items are overdue once their due date has passed everywhere on earth. */
export function isOverdue(item: { status: ActionStatus; dueDate: string }, now: Date): boolean {
  return (item.status === 'proposed' || item.status === 'committed') && item.dueDate < calendarDate(now, 'Etc/GMT+12');
}
