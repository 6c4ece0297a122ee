// The review board's schema: the shape of its Y.Doc, its constants, and the views its readers return.
// Shared by the server (agenda generation, replay) and the front end (the room binds to it).
//
// Schema, version 1:
//   doc.getMap('meta')   version: number
//   doc.getMap('items')  id → Y.Map, one agenda item:
//       id: string, kind: ItemKind, title: string,
//       order: number           agenda position; items sort by (order, id). Moving an item changes only its
//                               order, so a move never conflicts with concurrent edits of the item's notes.
//       metricId, initiativeId, presenterId: string | null
//       timeboxMinutes: number
//       notes: Y.Text           collaborative notes
//       votes: Y.Map            userId → votes that user gave the item (dot-voting)
//       decisions: Y.Map        id → Y.Map { id, title, ownerId, dueDate, metricId, initiativeId, expectedMaxSlip,
//                               expectedBy, createdBy, createdAt } drafted in the room; once recorded the server adds
//                               actionItemId, status, proposedDueDate, committedAt, verification
//       commitments: Y.Map      on the commitments check only: action id → CommitmentEntry (see board-commitments.ts)
//       triage: TriageInfo      on pivoted items only: why, impact, state (see triage-info.ts)
//   doc.getMap('room')   currentItemId: string | null, phase: Phase, votesPerPerson: number,
//                        timer: TimerState | null, follow: FollowState | null,
//                        facilitatorId: string | null  (mirrors the database, written by the server)
//                        reviewRevision: number        (bumped by the server whenever the review itself changes:
//                                                       start, close, rename, reschedule, room roles)
import type * as Y from 'yjs';
import type { TriageInfo } from './triage-info.ts';

export const BOARD_VERSION = 1;
export const ITEM_KINDS = ['status-update', 'triage', 'commitments-check', 'free'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const PHASES = ['check-in', 'metrics', 'triage', 'commitments', 'wrap-up'] as const;
export type Phase = (typeof PHASES)[number];
export const ROOM_ROLES = ['facilitator', 'owner', 'viewer'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];
export const DEFAULT_TIMEBOX_MINUTES = 5;
export const DEFAULT_VOTES_PER_PERSON = 3;

/** A timer per item: running since `startedAt` (epoch ms) on top of `accumulatedMs`, or paused. */
export interface TimerState {
  itemId: string;
  running: boolean;
  startedAt: number | null;
  accumulatedMs: number;
}

/** The facilitator asks everyone to follow their view; anyone may look elsewhere and rejoin. */
export interface FollowState {
  itemId: string;
  by: string;
}

export interface AgendaSeed {
  id: string;
  kind: ItemKind;
  title: string;
  metricId?: string | null;
  initiativeId?: string | null;
  presenterId?: string | null;
  timeboxMinutes?: number;
}

export interface DecisionView {
  id: string;
  title: string;
  ownerId: string | null;
  dueDate: string | null;
  createdBy: string | null;
  metricId: string | null;
  initiativeId: string | null;
  /** Expected effect on the linked metric: back within this fraction of plan by `expectedBy`. */
  expectedMaxSlip: number | null;
  expectedBy: string | null;
  /** Set once recorded as an action item (same id), with its status. */
  actionItemId: string | null;
  status: string | null;
  /** The owner's counter-proposal of a due date, awaiting the facilitator. */
  proposedDueDate: string | null;
  committedAt: number | null;
  verification: string | null;
}

/** An open action item from an earlier review of the series, as the commitments check lists it. */
export interface CommitmentEntry {
  id: string;
  title: string;
  ownerId: string;
  ownerName: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  verification: string | null;
  reviewTitle: string;
  /**
   * Who facilitated the review that recorded it, as the check was built: besides its owner and admins, the one who
   * may mark it done (mayChangeActionItem). Absent on boards written before it was kept, and null for none.
   */
  reviewFacilitatorId?: string | null;
}

export interface AgendaItemView {
  id: string;
  kind: ItemKind;
  title: string;
  order: number;
  metricId: string | null;
  initiativeId: string | null;
  presenterId: string | null;
  timeboxMinutes: number;
  notes: string;
  votes: Record<string, number>;
  voteTotal: number;
  decisions: DecisionView[];
  /** Set on items the triage planner pivoted (see triage.ts). */
  triage: TriageInfo | null;
  /** On the commitments check: earlier reviews' open action items, overdue first. */
  commitments: CommitmentEntry[];
}

export interface RoomView {
  currentItemId: string | null;
  phase: Phase;
  votesPerPerson: number;
  timer: TimerState | null;
  follow: FollowState | null;
  facilitatorId: string | null;
  /** Counts changes to the review itself (status, title, schedule, roles): a room reloads the review when it moves. */
  reviewRevision: number;
}

export const itemsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('items');
export const roomOf = (doc: Y.Doc) => doc.getMap<unknown>('room');

export interface DecisionDraft {
  id: string;
  title: string;
  ownerId: string | null;
  dueDate: string | null;
  metricId?: string | null;
  initiativeId?: string | null;
  expectedMaxSlip?: number | null;
  expectedBy?: string | null;
  createdBy: string;
}

export type DraftField =
  'title' | 'ownerId' | 'dueDate' | 'metricId' | 'initiativeId' | 'expectedMaxSlip' | 'expectedBy';

/** What the server writes on the board about a recorded decision. */
export interface RecordedDecision {
  id: string;
  title: string;
  ownerId: string;
  dueDate: string;
  metricId: string | null;
  initiativeId: string | null;
  expectedMaxSlip: number | null;
  expectedBy: string | null;
  createdBy: string;
  status: string;
  proposedDueDate: string | null;
  committedAt: number | null;
  verification: string | null;
}
