// Replaying a review: the board at any moment is the updates logged up to that moment (from the nearest snapshot
// on), who was there comes from joins and leaves, and the timeline's markers from the event log. Pure.
import * as Y from 'yjs';
import { readAgenda, readRoom, type AgendaItemView, type RoomView } from './board.ts';

export interface TimedUpdate {
  seq: number;
  /** Epoch ms when the server committed it. */
  at: number;
  update: Uint8Array;
}

export interface ReplayEvent {
  id: string;
  kind: string;
  at: number;
  actorId: string | null;
  data: Record<string, unknown>;
}

/**
 * How many of `updates` (in sequence order) are in effect at `t`: the updates are committed in sequence order, so
 * their times never decrease and this is the first index past `t` (binary search).
 */
export function countAt(updates: readonly Pick<TimedUpdate, 'at'>[], t: number): number {
  let low = 0;
  let high = updates.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (updates[mid]!.at <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The board as one update: a base state (a snapshot, or nothing) and the updates applied after it. */
export function stateFrom(base: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (base) Y.applyUpdate(doc, base);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** The board's views (what the replay page renders) from a base state and the updates applied after it. */
export function viewsFrom(
  base: Uint8Array | null,
  updates: readonly Uint8Array[],
): { agenda: AgendaItemView[]; room: RoomView } {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (base) Y.applyUpdate(doc, base);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const views = { agenda: readAgenda(doc), room: readRoom(doc) };
  doc.destroy();
  return views;
}

export interface Span {
  start: number;
  end: number;
}

/** From the first board change (or the start) to the last one (or the close); null when nothing happened. */
export function replaySpan(
  review: { startedAt: string | null; closedAt: string | null },
  log: { firstAt: string | null; lastAt: string | null },
): Span | null {
  const starts = [log.firstAt, review.startedAt].flatMap((at) => (at ? [Date.parse(at)] : []));
  const ends = [log.lastAt, review.closedAt].flatMap((at) => (at ? [Date.parse(at)] : []));
  if (!log.firstAt || starts.length === 0) return null;
  const start = Math.min(...starts);
  return { start, end: Math.max(start, ...ends) };
}

/** The moment a replay opens at: `at` (epoch ms, as a deep link names it) inside the span, else the start. */
export function openingMoment(at: number | null, span: Span): number {
  if (at === null || !Number.isFinite(at)) return span.start;
  return Math.min(span.end, Math.max(span.start, Math.round(at)));
}

export const MARKER_KINDS = {
  'triage.pivoted': 'pivot',
  'triage.dismissed': 'pivot',
  'action.recorded': 'decision',
  'action.committed': 'commitment',
  'review.phase': 'phase',
  'review.started': 'phase',
  'review.closed': 'phase',
} as const satisfies Record<string, MarkerKind>;

export type MarkerKind = 'pivot' | 'decision' | 'commitment' | 'phase';

export interface Marker {
  at: number;
  kind: MarkerKind;
  label: string;
  eventId: string;
  itemId: string | null;
}

/** The timeline's markers: pivots, decisions, commitments and phase changes, in time order. */
export function markersOf(events: readonly ReplayEvent[], nameOf: (userId: string | null) => string): Marker[] {
  const markers: Marker[] = [];
  for (const event of events) {
    const kind = (MARKER_KINDS as Record<string, MarkerKind | undefined>)[event.kind];
    if (!kind) continue;
    const data = event.data;
    const itemId = typeof data.itemId === 'string' ? data.itemId : null;
    markers.push({ at: event.at, kind, label: markerLabel(event, nameOf), eventId: event.id, itemId });
  }
  return markers.sort((a, b) => a.at - b.at);
}

function markerLabel(event: ReplayEvent, nameOf: (userId: string | null) => string): string {
  const data = event.data;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  switch (event.kind) {
    case 'triage.pivoted':
      return `Pivot: ${text('why') || 'a metric slipped'}`;
    case 'triage.dismissed':
      return `Pivot set aside by ${nameOf(event.actorId)}`;
    case 'action.recorded':
      return `Decision: ${text('title') || 'recorded'}${data.ownerId ? ` (owner ${nameOf(text('ownerId'))})` : ''}`;
    case 'action.committed':
      return `${nameOf(event.actorId)} committed`;
    case 'review.phase':
      return `Phase: ${text('to')}`;
    case 'review.started':
      return 'Review started';
    case 'review.closed':
      return 'Review closed';
    default:
      return event.kind;
  }
}

/** Who was in the room at `t`: joined and not left since. */
export function presentAt(events: readonly ReplayEvent[], t: number): string[] {
  const present = new Set<string>();
  for (const event of events) {
    if (event.at > t) break;
    if (!event.actorId) continue;
    if (event.kind === 'room.joined') present.add(event.actorId);
    else if (event.kind === 'room.left') present.delete(event.actorId);
  }
  return [...present].sort();
}

/**
 * Playback time for "skip silence": every pause longer than `maxGapMs` between consecutive moments counts as
 * `maxGapMs`. Returns a function from real time to playback time and its inverse.
 */
export function silenceSkipper(moments: readonly number[], maxGapMs: number) {
  const sorted = [...moments].sort((a, b) => a - b);
  // cut[i]: time removed before sorted[i].
  const cut: number[] = [];
  let removed = 0;
  sorted.forEach((moment, index) => {
    if (index > 0) removed += Math.max(0, moment - sorted[index - 1]! - maxGapMs);
    cut.push(removed);
  });
  const start = sorted[0] ?? 0;
  const points = sorted.map((at) => ({ at }));
  const toPlayback = (t: number): number => {
    const index = countAt(points, t) - 1;
    if (index < 0) return 0;
    const since = t - sorted[index]!;
    return sorted[index]! - start - cut[index]! + Math.min(since, index + 1 < sorted.length ? maxGapMs : since);
  };
  const toReal = (p: number): number => {
    for (let index = sorted.length - 1; index >= 0; index--) {
      const base = sorted[index]! - start - cut[index]!;
      if (p >= base) return sorted[index]! + (p - base);
    }
    return start + p;
  };
  return { toPlayback, toReal };
}
