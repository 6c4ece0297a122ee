// The room's shared state on the review board: the item under discussion, the phase, roles, the timer, following
// the facilitator, and dot-voting.
import * as Y from 'yjs';
import { readAgenda, readRoom } from './board-read.ts';
import {
  PHASES,
  itemsOf,
  roomOf,
  type AgendaItemView,
  type FollowState,
  type Phase,
  type RoomRole,
  type TimerState,
} from './board-schema.ts';

export function setCurrentItem(doc: Y.Doc, itemId: string): void {
  if (!itemsOf(doc).has(itemId)) return;
  doc.transact(() => {
    const { follow } = readRoom(doc);
    const room = roomOf(doc);
    room.set('currentItemId', itemId);
    if (follow) room.set('follow', { ...follow, itemId });
  });
}

export function setPhase(doc: Y.Doc, phase: Phase): void {
  roomOf(doc).set('phase', phase);
}

/** Records a room role change on the board: the new facilitator, or none when the facilitator stepped down. */
export function recordRole(doc: Y.Doc, userId: string, role: RoomRole): void {
  const room = roomOf(doc);
  if (role === 'facilitator') room.set('facilitatorId', userId);
  else if (room.get('facilitatorId') === userId) room.set('facilitatorId', null);
}

/**
 * The server's word to everyone in the room that the review itself changed (it went live, closed, was renamed or
 * rescheduled, or roles moved), so open rooms reload it instead of showing what they loaded.
 */
export function markReviewChanged(doc: Y.Doc): void {
  roomOf(doc).set('reviewRevision', readRoom(doc).reviewRevision + 1);
}

export function nextPhase(phase: Phase): Phase | null {
  return PHASES[PHASES.indexOf(phase) + 1] ?? null;
}

/** Elapsed time of a timer at `nowMs`. */
export function timerElapsedMs(timer: TimerState, nowMs: number): number {
  const running = timer.running && timer.startedAt !== null ? Math.max(0, nowMs - timer.startedAt) : 0;
  return timer.accumulatedMs + running;
}

/** Starts the timer of an item from zero (a timer of another item is replaced). */
export function startTimer(doc: Y.Doc, itemId: string, nowMs: number): void {
  roomOf(doc).set('timer', { itemId, running: true, startedAt: nowMs, accumulatedMs: 0 } satisfies TimerState);
}

export function pauseTimer(doc: Y.Doc, nowMs: number): void {
  const timer = readRoom(doc).timer;
  if (!timer?.running) return;
  roomOf(doc).set('timer', {
    itemId: timer.itemId,
    running: false,
    startedAt: null,
    accumulatedMs: timerElapsedMs(timer, nowMs),
  } satisfies TimerState);
}

export function resumeTimer(doc: Y.Doc, nowMs: number): void {
  const timer = readRoom(doc).timer;
  if (!timer || timer.running) return;
  roomOf(doc).set('timer', { ...timer, running: true, startedAt: nowMs } satisfies TimerState);
}

export function setFollow(doc: Y.Doc, follow: FollowState | null): void {
  roomOf(doc).set('follow', follow);
}

/** Votes a user has given across the agenda. */
export function votesUsed(agenda: AgendaItemView[], userId: string): number {
  return agenda.reduce((total, item) => total + (item.votes[userId] ?? 0), 0);
}

/**
 * Adds (delta 1) or takes back (delta -1) one of a user's votes on an item. Returns false when the user has no
 * vote left or none on the item to take back.
 */
export function castVote(doc: Y.Doc, itemId: string, userId: string, delta: 1 | -1): boolean {
  const item = itemsOf(doc).get(itemId);
  const votes = item?.get('votes');
  if (!(votes instanceof Y.Map)) return false;
  const agenda = readAgenda(doc);
  const mine = agenda.find((view) => view.id === itemId)?.votes[userId] ?? 0;
  if (delta > 0 && votesUsed(agenda, userId) >= readRoom(doc).votesPerPerson) return false;
  if (delta < 0 && mine === 0) return false;
  if (mine + delta === 0) votes.delete(userId);
  else votes.set(userId, mine + delta);
  return true;
}

export function setVotesPerPerson(doc: Y.Doc, votesPerPerson: number): void {
  roomOf(doc).set('votesPerPerson', Math.max(0, Math.min(20, Math.floor(votesPerPerson))));
}
