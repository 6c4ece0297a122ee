// Where the room stands, read once from the review's status and the board, so that the phase bar, the agenda's "now"
// marker, the item's "the room is here" and the pivot banner can never tell different stories (issue 27, item 15).
//
// The phase is the truth (the database keeps it and the replay marks it); the item the room is on only counts as
// "now" when it belongs to that phase. Moving the room keeps the two together: going to an item of another phase
// moves the phase (phaseToFollow), and a new phase takes the room to its first item (itemForPhase).
import type { AgendaItemView, Phase, RoomView } from '../../../server/domain/board.ts';

export type ReviewStatus = 'scheduled' | 'live' | 'closed';

export interface RoomState {
  status: ReviewStatus;
  /** The phase the bar marks as current; null once the review is closed (nothing is current any more). */
  phase: Phase | null;
  /** The item marked "now" in the agenda and "the room is here" on the item; null when none belongs to the phase. */
  nowItemId: string | null;
  /** Items a slipping metric turned into triage, still open. */
  openPivots: AgendaItemView[];
  /** Offer "Go to triage now": open pivots, and a room not already in triage, wrapping up or closed. */
  offerPivot: boolean;
}

/** The phase an item is discussed in, or null for a free topic (it fits any phase). */
export function phaseOfItem(item: Pick<AgendaItemView, 'kind' | 'triage'>): Phase | null {
  if (item.triage?.state === 'active') return 'triage';
  if (item.kind === 'commitments-check') return 'commitments';
  if (item.kind === 'free') return null;
  // Status updates, and triage items whose pivot was dismissed or recovered: the metrics round.
  return 'metrics';
}

/** Whether the room being on this item agrees with the phase. */
export function fitsPhase(item: Pick<AgendaItemView, 'kind' | 'triage'>, phase: Phase): boolean {
  const home = phaseOfItem(item);
  if (home === null) return true;
  // A settled triage item may be looked at again in triage too.
  if (home === 'metrics' && item.kind === 'triage') return phase === 'metrics' || phase === 'triage';
  return home === phase;
}

export function roomStateOf(
  status: ReviewStatus,
  room: Pick<RoomView, 'phase' | 'currentItemId'>,
  agenda: AgendaItemView[],
): RoomState {
  const openPivots = agenda.filter((item) => item.triage?.state === 'active');
  if (status === 'closed') return { status, phase: null, nowItemId: null, openPivots, offerPivot: false };
  const phase = room.phase;
  const current = agenda.find((item) => item.id === room.currentItemId);
  const nowItemId = current && fitsPhase(current, phase) ? current.id : null;
  const offerPivot = openPivots.length > 0 && phase !== 'triage' && phase !== 'wrap-up';
  return { status, phase, nowItemId, openPivots, offerPivot };
}

/** The phase to move to when the room goes to `item`, or null when the phase can stay. */
export function phaseToFollow(item: Pick<AgendaItemView, 'kind' | 'triage'>, phase: Phase): Phase | null {
  if (fitsPhase(item, phase)) return null;
  return phaseOfItem(item);
}

/**
 * The item the room goes to when the phase becomes `phase`: the current one if it fits, else the first of the
 * agenda that belongs to the phase (for triage, the open pivot first); null when the room should stay where it is.
 */
export function itemForPhase(agenda: AgendaItemView[], currentItemId: string | null, phase: Phase): string | null {
  const current = agenda.find((item) => item.id === currentItemId);
  if (current && fitsPhase(current, phase)) return null;
  const own = agenda.filter((item) => phaseOfItem(item) === phase);
  const first = phase === 'triage' ? (own[0] ?? agenda.find((item) => item.kind === 'triage')) : own[0];
  return first && first.id !== currentItemId ? first.id : null;
}
