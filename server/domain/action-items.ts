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

const DAY_MS = 86_400_000;

/**
 * When a due date moves, the expected effect's date moves with it by as many days: the effect was promised a
 * lead after the work is done ("due Dec 3, effect by Dec 10"), so a new due date of Dec 17 gives Dec 24, never
 * an effect due before the work ("due Dec 24, effect by Dec 10"). Calendar dates, YYYY-MM-DD.
 */
export function effectDateAfterDueChange(effectBy: string, oldDue: string, newDue: string): string {
  const shift = Date.parse(`${newDue}T00:00:00Z`) - Date.parse(`${oldDue}T00:00:00Z`);
  return new Date(Date.parse(`${effectBy}T00:00:00Z`) + Math.round(shift / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
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
