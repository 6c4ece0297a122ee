// Action items as the lists show them, and the owner's moves on one (each carries the version last seen, so a
// change made meanwhile is refused with a 409 rather than overwritten).
import { api } from './api/client';
import { pagePath, withQuery } from './api/paths';
import type { components } from './api/schema';
import type { ActionItem, ActionStatus } from './api/types';
import { formatCalendarDate } from './due-date';

/** An action item with the names of its review, initiative and metric (GET /api/orgs/:orgId/actions). */
export type ActionListItem = components['schemas']['ActionListItem'];

/** One of my own action items, with its organization and whether it is due this week (GET /api/me/actions). */
export type OwnActionItem = components['schemas']['OwnActionItem'];

export const OPEN_STATUSES: readonly ActionStatus[] = ['proposed', 'committed'];

export const isOpen = (action: { status: ActionStatus }) => OPEN_STATUSES.includes(action.status);

const actionPath = (action: ActionItem) => ({ actionId: action.id });

export function commitTo(action: ActionItem) {
  return api.post('/api/actions/{actionId}/commit', { path: actionPath(action), body: { version: action.version } });
}

export function markDone(action: ActionItem) {
  return api.patch('/api/actions/{actionId}', {
    path: actionPath(action),
    body: { version: action.version, status: 'done' },
  });
}

export function dropAction(action: ActionItem, reason: string) {
  return api.patch('/api/actions/{actionId}', {
    path: actionPath(action),
    body: { version: action.version, status: 'dropped', reason },
  });
}

/** The replay of the review at the moment the decision was recorded. */
export function replayHref(action: ActionItem): string | null {
  return action.reviewId
    ? withQuery(pagePath`/reviews/${action.reviewId}/replay`, { at: Date.parse(action.createdAt) })
    : null;
}

/** One entry of an item's history in words, after the actor's name: "committed to it", "dropped it: …". */
export function describeChange(
  entry: { change: string; data: Record<string, unknown> },
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const data = entry.data;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const date = (key: string) => (text(key) ? formatCalendarDate(text(key)!) : null);
  switch (entry.change) {
    case 'recorded':
      return date('dueDate') ? `recorded the decision, due ${date('dueDate')}` : 'recorded the decision';
    case 'committed':
      return 'committed to it';
    case 'done':
      return 'marked it done';
    case 'dropped':
      return text('dropReason') ? `dropped it: “${text('dropReason')}”` : 'dropped it';
    case 'due date proposed':
      return date('proposedDueDate')
        ? `proposed another due date: ${date('proposedDueDate')}`
        : 'proposed another due date';
    case 'due date accepted':
      return date('dueDate') ? `accepted the new due date: ${date('dueDate')}` : 'accepted the proposed due date';
    case 'due date declined':
      return 'declined the proposed due date';
    case 'verified by metric':
      return 'verified by the metric: the expected effect was reached';
    case 'not verified':
      return 'not verified: the expected effect was not reached in time';
  }
  const parts: string[] = [];
  if (text('title')) parts.push(`the title to “${text('title')}”`);
  if (text('ownerId')) parts.push(`the owner to ${names.get(text('ownerId')!) ?? 'someone else'}`);
  if (date('dueDate')) parts.push(`the due date to ${date('dueDate')}`);
  if (entry.change === 'changed') return parts.length ? `changed ${parts.join(', ')}` : 'changed it';
  return parts.length ? `${entry.change}: ${parts.join(', ')}` : entry.change;
}
