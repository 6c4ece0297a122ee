// Which governance events tell a person something: an item assigned to them, due soon, overdue. Pure rules; the
// notifier stores the drafts (once per person, item and kind) and the periodic scan supplies `now`.
import { calendarDate, isOverdue, type ActionStatus } from './action-items.ts';

export const NOTIFICATION_KINDS = ['assigned', 'due_soon', 'overdue', 'metric_stale'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** An open item is "due soon" when its due date is at most this many days after today (UTC). */
export const DUE_SOON_DAYS = 2;

export interface NotificationDraft {
  userId: string;
  organizationId: string;
  actionItemId: string;
  kind: Exclude<NotificationKind, 'metric_stale'>;
  title: string;
  body: string;
}

interface ItemFacts {
  id: string;
  organizationId: string;
  title: string;
  ownerId: string;
  dueDate: string;
  status: ActionStatus;
}

/** YYYY-MM-DD plus whole days, in calendar terms (no time zone involved). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** What the scan should say about an item now: overdue wins over due soon; closed items say nothing. */
export function dueAlert(item: Pick<ItemFacts, 'status' | 'dueDate'>, now: Date): 'overdue' | 'due_soon' | null {
  if (item.status !== 'proposed' && item.status !== 'committed') return null;
  if (isOverdue(item, now)) return 'overdue';
  return item.dueDate <= addDays(calendarDate(now, 'UTC'), DUE_SOON_DAYS) ? 'due_soon' : null;
}

/**
 * The owner hears about an item recorded (or handed over) to them, unless they did it themselves: people do not
 * need telling what they just did.
 */
export function assignedNotification(item: ItemFacts & { actorId: string | null }): NotificationDraft | null {
  if (item.actorId === item.ownerId) return null;
  if (item.status !== 'proposed' && item.status !== 'committed') return null;
  return {
    userId: item.ownerId,
    organizationId: item.organizationId,
    actionItemId: item.id,
    kind: 'assigned',
    title: `You own “${item.title}”`,
    body: `Due ${item.dueDate}. Commit to it, or propose another date.`,
  };
}

export function alertNotification(item: ItemFacts, kind: 'due_soon' | 'overdue'): NotificationDraft {
  return {
    userId: item.ownerId,
    organizationId: item.organizationId,
    actionItemId: item.id,
    kind,
    title: kind === 'overdue' ? `Overdue: “${item.title}”` : `Due soon: “${item.title}”`,
    body:
      kind === 'overdue' ? `It was due ${item.dueDate}. Mark it done, or agree a new date.` : `Due ${item.dueDate}.`,
  };
}

/** What has since answered a notification about an action item: it no longer asks its reader for anything. */
export const NOTIFICATION_SETTLEMENTS = ['committed', 'done', 'dropped', 'handed over'] as const;
export type NotificationSettlement = (typeof NOTIFICATION_SETTLEMENTS)[number];

/**
 * Whether a notification still asks `userId` for something, given the item as it is now. "You own it, commit to it"
 * is answered once they commit (or the item is done, dropped or handed to someone else); "due soon" and "overdue"
 * are answered by done, dropped or a new owner, not by a commitment. Null: it still stands (or is not about an item).
 */
export function settlementOf(
  kind: NotificationKind,
  userId: string,
  item: { status: ActionStatus; ownerId: string } | null,
): NotificationSettlement | null {
  if (kind === 'metric_stale' || !item) return null;
  if (item.status === 'done' || item.status === 'dropped') return item.status;
  if (item.ownerId !== userId) return 'handed over';
  if (kind === 'assigned' && item.status === 'committed') return 'committed';
  return null;
}

/** A metric's owner hears that its numbers went stale: once per lapse (the scan remembers the lapse). */
export interface MetricNotificationDraft {
  userId: string;
  organizationId: string;
  metricId: string;
  kind: 'metric_stale';
  title: string;
  body: string;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export function staleNotification(metric: {
  id: string;
  organizationId: string;
  name: string;
  ownerId: string;
  frequency: string;
  latestAt: Date;
}): MetricNotificationDraft {
  return {
    userId: metric.ownerId,
    organizationId: metric.organizationId,
    metricId: metric.id,
    kind: 'metric_stale',
    title: `Stale: “${metric.name}”`,
    body:
      `Its last reading is from ${dayOf(metric.latestAt)}, older than a ${metric.frequency} metric allows. ` +
      'Until a new reading comes in it shows as stale, not on track, and triage leaves it alone.',
  };
}
