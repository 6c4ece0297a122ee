// Builds and edits the review board's agenda: the generated agenda of a new review, adding, moving and removing
// items, and their fields.
import * as Y from 'yjs';
import {
  BOARD_VERSION,
  DEFAULT_TIMEBOX_MINUTES,
  DEFAULT_VOTES_PER_PERSON,
  itemsOf,
  roomOf,
  type AgendaItemView,
  type AgendaSeed,
  type Phase,
} from './board-schema.ts';
import { readAgenda } from './board-read.ts';
import type { Status } from './slip.ts';

/** What a scope's metric or initiative contributes to a generated agenda. */
export interface ScopeEntry {
  id: string;
  title: string;
  status: Status;
  ownerId: string | null;
}

/** Agenda position by status: what needs attention comes first; numbers too old to trust before no numbers. */
const AGENDA_RANK: Record<Status, number> = { 'off track': 0, 'at risk': 1, stale: 2, 'no data': 3, 'on track': 4 };

/**
 * The agenda of a new review: one status update per metric and initiative in scope, worst status first
 * (off track, at risk, stale, no data, on track); metrics before initiatives of the same status, then by title.
 */
export function generateAgenda(
  scope: { metrics: ScopeEntry[]; initiatives: ScopeEntry[] },
  newId: () => string,
): AgendaSeed[] {
  const entries = [
    ...scope.metrics.map((entry) => ({ entry, link: 'metric' as const })),
    ...scope.initiatives.map((entry) => ({ entry, link: 'initiative' as const })),
  ];
  const sorted = entries
    .map((value, index) => ({ ...value, index }))
    .sort(
      (a, b) =>
        AGENDA_RANK[a.entry.status] - AGENDA_RANK[b.entry.status] ||
        (a.link === b.link ? 0 : a.link === 'metric' ? -1 : 1) ||
        a.entry.title.localeCompare(b.entry.title) ||
        a.index - b.index,
    );
  return sorted.map(({ entry, link }) => ({
    id: newId(),
    kind: 'status-update',
    title: entry.title,
    metricId: link === 'metric' ? entry.id : null,
    initiativeId: link === 'initiative' ? entry.id : null,
    presenterId: entry.ownerId,
    timeboxMinutes: DEFAULT_TIMEBOX_MINUTES,
  }));
}

/** A new agenda item as a Y.Map, with empty notes, votes and decisions. */
export function newAgendaItem(seed: AgendaSeed, order: number): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set('id', seed.id);
  item.set('kind', seed.kind);
  item.set('title', seed.title);
  item.set('order', order);
  item.set('metricId', seed.metricId ?? null);
  item.set('initiativeId', seed.initiativeId ?? null);
  item.set('presenterId', seed.presenterId ?? null);
  item.set('timeboxMinutes', seed.timeboxMinutes ?? DEFAULT_TIMEBOX_MINUTES);
  item.set('notes', new Y.Text());
  item.set('votes', new Y.Map<number>());
  item.set('decisions', new Y.Map<Y.Map<unknown>>());
  return item;
}

/** Fills an empty document with the board of a new review, in one transaction. */
export function initializeBoard(
  doc: Y.Doc,
  agenda: AgendaSeed[],
  options: { facilitatorId?: string | null; origin?: unknown } = {},
): void {
  doc.transact(() => {
    doc.getMap('meta').set('version', BOARD_VERSION);
    const items = itemsOf(doc);
    agenda.forEach((seed, index) => items.set(seed.id, newAgendaItem(seed, index + 1)));
    const room = roomOf(doc);
    room.set('currentItemId', agenda[0]?.id ?? null);
    room.set('phase', 'check-in' satisfies Phase);
    room.set('votesPerPerson', DEFAULT_VOTES_PER_PERSON);
    room.set('timer', null);
    room.set('follow', null);
    room.set('facilitatorId', options.facilitatorId ?? null);
  }, options.origin ?? null);
}
/** An order strictly between two neighbours (either may be missing at the ends of the agenda). */
export function orderBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return after! - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

/** Moves an item to `toIndex` of the agenda as it would read without the item. */
export function moveItem(doc: Y.Doc, itemId: string, toIndex: number): void {
  const items = itemsOf(doc);
  const item = items.get(itemId);
  if (!item) return;
  const others = readAgenda(doc).filter((view) => view.id !== itemId);
  const index = Math.max(0, Math.min(others.length, Math.floor(toIndex)));
  const before = others[index - 1]?.order;
  const after = others[index]?.order;
  const order = orderBetween(before, after);
  if ((before === undefined || order > before) && (after === undefined || order < after)) {
    item.set('order', order);
    return;
  }
  // Halving the same gap over and over runs out of floating-point precision: number everything afresh.
  doc.transact(() => {
    others.splice(index, 0, { id: itemId } as AgendaItemView);
    others.forEach((view, position) => items.get(view.id)?.set('order', position + 1));
  });
}

/** Adds an item at the end of the agenda (or right after `afterId`). */
export function addItem(doc: Y.Doc, seed: AgendaSeed, afterId?: string): void {
  doc.transact(() => {
    const agenda = readAgenda(doc);
    const at = afterId ? agenda.findIndex((view) => view.id === afterId) : -1;
    const order =
      at >= 0 ? orderBetween(agenda[at]!.order, agenda[at + 1]?.order) : orderBetween(agenda.at(-1)?.order, undefined);
    itemsOf(doc).set(seed.id, newAgendaItem(seed, order));
  });
}

export function removeItem(doc: Y.Doc, itemId: string): void {
  doc.transact(() => {
    itemsOf(doc).delete(itemId);
    const room = roomOf(doc);
    if (room.get('currentItemId') === itemId) room.set('currentItemId', readAgenda(doc)[0]?.id ?? null);
  });
}

export function setItemFields(
  doc: Y.Doc,
  itemId: string,
  fields: Partial<Pick<AgendaSeed, 'title' | 'presenterId' | 'timeboxMinutes' | 'kind'>>,
): void {
  const item = itemsOf(doc).get(itemId);
  if (!item) return;
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) item.set(key, value);
  });
}

export function notesOf(doc: Y.Doc, itemId: string): Y.Text | null {
  const notes = itemsOf(doc).get(itemId)?.get('notes');
  return notes instanceof Y.Text ? notes : null;
}
