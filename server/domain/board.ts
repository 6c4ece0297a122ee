// The review board: the schema of its Y.Doc and the edits the server and the room make to it.
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
//       commitments: Y.Map      on the commitments check only: action id → CommitmentEntry (see commitments.ts)
//       triage: TriageInfo      on pivoted items only: why, impact, state (see triage.ts)
//   doc.getMap('room')   currentItemId: string | null, phase: Phase, votesPerPerson: number,
//                        timer: TimerState | null, follow: FollowState | null,
//                        facilitatorId: string | null  (mirrors the database, written by the server)
//                        reviewRevision: number        (bumped by the server whenever the review itself changes:
//                                                       start, close, rename, reschedule, room roles)
import * as Y from 'yjs';
import type { Status } from './slip.ts';
import type { TriageInfo } from './triage.ts';

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

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

function readItem(item: Y.Map<unknown>): AgendaItemView | null {
  const id = str(item.get('id'));
  const kind = str(item.get('kind'));
  if (!id || !kind || !(ITEM_KINDS as readonly string[]).includes(kind)) return null;
  const notes = item.get('notes');
  const votes = item.get('votes');
  const decisions = item.get('decisions');
  const voteEntries: Record<string, number> = {};
  let voteTotal = 0;
  if (votes instanceof Y.Map) {
    for (const [userId, count] of votes.entries()) {
      const n = Math.max(0, Math.floor(num(count, 0)));
      if (n > 0) {
        voteEntries[userId] = n;
        voteTotal += n;
      }
    }
  }
  const decisionViews: DecisionView[] = [];
  if (decisions instanceof Y.Map) {
    for (const decision of decisions.values()) {
      if (!(decision instanceof Y.Map)) continue;
      const decisionId = str(decision.get('id'));
      if (!decisionId) continue;
      decisionViews.push({
        id: decisionId,
        title: str(decision.get('title')) ?? '',
        ownerId: str(decision.get('ownerId')),
        dueDate: str(decision.get('dueDate')),
        createdBy: str(decision.get('createdBy')),
        metricId: str(decision.get('metricId')),
        initiativeId: str(decision.get('initiativeId')),
        expectedMaxSlip: numOrNull(decision.get('expectedMaxSlip')),
        expectedBy: str(decision.get('expectedBy')),
        actionItemId: str(decision.get('actionItemId')),
        status: str(decision.get('status')),
        proposedDueDate: str(decision.get('proposedDueDate')),
        committedAt: numOrNull(decision.get('committedAt')),
        verification: str(decision.get('verification')),
      });
    }
  }
  return {
    id,
    kind: kind as ItemKind,
    title: str(item.get('title')) ?? '',
    order: num(item.get('order'), 0),
    metricId: str(item.get('metricId')),
    initiativeId: str(item.get('initiativeId')),
    presenterId: str(item.get('presenterId')),
    timeboxMinutes: num(item.get('timeboxMinutes'), DEFAULT_TIMEBOX_MINUTES),
    notes: notes instanceof Y.Text ? notes.toString() : '',
    votes: voteEntries,
    voteTotal,
    decisions: decisionViews.sort((a, b) => a.id.localeCompare(b.id)),
    triage: readTriage(item.get('triage')),
    commitments: readCommitments(item.get('commitments')),
  };
}

function readCommitments(value: unknown): CommitmentEntry[] {
  if (!(value instanceof Y.Map)) return [];
  const entries: CommitmentEntry[] = [];
  for (const entry of value.values()) {
    if (!entry || typeof entry !== 'object') continue;
    const candidate = entry as Partial<CommitmentEntry>;
    if (
      typeof candidate.id === 'string' &&
      typeof candidate.title === 'string' &&
      typeof candidate.dueDate === 'string'
    )
      entries.push(candidate as CommitmentEntry);
  }
  return orderCommitments(entries);
}

/** Overdue first, then by due date, then by title. */
export function orderCommitments<T extends Pick<CommitmentEntry, 'overdue' | 'dueDate' | 'title' | 'id'>>(
  entries: T[],
): T[] {
  return [...entries].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.title.localeCompare(b.title) ||
      a.id.localeCompare(b.id),
  );
}

export const COMMITMENTS_CHECK_TITLE = 'Commitments check';

/**
 * Adds the commitments check to the end of the agenda, listing `entries`; once per board: false when the board
 * has one already (a review that goes live again, or two starts racing).
 */
export function addCommitmentsCheck(doc: Y.Doc, entries: CommitmentEntry[], id: string): boolean {
  if (readAgenda(doc).some((item) => item.kind === 'commitments-check')) return false;
  doc.transact(() => {
    addItem(doc, { id, kind: 'commitments-check', title: COMMITMENTS_CHECK_TITLE, timeboxMinutes: 10 });
    const list = new Y.Map<CommitmentEntry>();
    itemsOf(doc).get(id)!.set('commitments', list);
    for (const entry of entries) list.set(entry.id, entry);
  });
  return true;
}

/** Shows an action item's new state on every commitments check of the board that lists it. */
export function updateCommitment(doc: Y.Doc, entry: Omit<CommitmentEntry, 'reviewTitle'>): boolean {
  let changed = false;
  doc.transact(() => {
    for (const item of itemsOf(doc).values()) {
      const list = item instanceof Y.Map ? item.get('commitments') : undefined;
      if (!(list instanceof Y.Map)) continue;
      const previous = list.get(entry.id) as CommitmentEntry | undefined;
      if (!previous) continue;
      list.set(entry.id, { ...previous, ...entry });
      changed = true;
    }
  });
  return changed;
}

function readTriage(value: unknown): TriageInfo | null {
  if (!value || typeof value !== 'object') return null;
  const info = value as Partial<TriageInfo>;
  return typeof info.metricId === 'string' && typeof info.state === 'string' && typeof info.why === 'string'
    ? (info as TriageInfo)
    : null;
}

const byOrder = (a: { order: number; id: string }, b: { order: number; id: string }) =>
  a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The agenda in order. Entries that do not fit the schema are left out rather than failing the room. */
export function readAgenda(doc: Y.Doc): AgendaItemView[] {
  const views: AgendaItemView[] = [];
  for (const item of itemsOf(doc).values()) {
    if (!(item instanceof Y.Map)) continue;
    const view = readItem(item);
    if (view) views.push(view);
  }
  return views.sort(byOrder);
}

function readTimer(value: unknown): TimerState | null {
  if (!value || typeof value !== 'object') return null;
  const timer = value as Partial<TimerState>;
  if (typeof timer.itemId !== 'string') return null;
  return {
    itemId: timer.itemId,
    running: timer.running === true,
    startedAt: typeof timer.startedAt === 'number' ? timer.startedAt : null,
    accumulatedMs: num(timer.accumulatedMs, 0),
  };
}

function readFollow(value: unknown): FollowState | null {
  if (!value || typeof value !== 'object') return null;
  const follow = value as Partial<FollowState>;
  return typeof follow.itemId === 'string' && typeof follow.by === 'string'
    ? { itemId: follow.itemId, by: follow.by }
    : null;
}

export function readRoom(doc: Y.Doc): RoomView {
  const room = roomOf(doc);
  const phase = str(room.get('phase'));
  return {
    currentItemId: str(room.get('currentItemId')),
    phase: phase && (PHASES as readonly string[]).includes(phase) ? (phase as Phase) : 'check-in',
    votesPerPerson: Math.max(0, Math.floor(num(room.get('votesPerPerson'), DEFAULT_VOTES_PER_PERSON))),
    timer: readTimer(room.get('timer')),
    follow: readFollow(room.get('follow')),
    facilitatorId: str(room.get('facilitatorId')),
    reviewRevision: Math.max(0, Math.floor(num(room.get('reviewRevision'), 0))),
  };
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

export function setCurrentItem(doc: Y.Doc, itemId: string): void {
  if (!itemsOf(doc).has(itemId)) return;
  doc.transact(() => {
    const room = roomOf(doc);
    room.set('currentItemId', itemId);
    const follow = readFollow(room.get('follow'));
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
  const room = roomOf(doc);
  room.set('reviewRevision', Math.max(0, Math.floor(num(room.get('reviewRevision'), 0))) + 1);
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

type DraftField = 'title' | 'ownerId' | 'dueDate' | 'metricId' | 'initiativeId' | 'expectedMaxSlip' | 'expectedBy';

/** Drafts a decision on an item (recording it as an action item is a later step). */
export function draftDecision(doc: Y.Doc, itemId: string, draft: DecisionDraft, nowMs: number): boolean {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (!(decisions instanceof Y.Map)) return false;
  doc.transact(() => {
    const decision = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(draft)) decision.set(key, value);
    decision.set('createdAt', nowMs);
    decisions.set(draft.id, decision);
  });
  return true;
}

/** Changes fields of a draft decision; concurrent edits of different fields both survive. */
export function editDecision(
  doc: Y.Doc,
  itemId: string,
  decisionId: string,
  fields: Partial<Pick<DecisionDraft, DraftField>>,
): boolean {
  const decision = itemsOf(doc).get(itemId)?.get('decisions');
  const target = decision instanceof Y.Map ? decision.get(decisionId) : undefined;
  if (!(target instanceof Y.Map)) return false;
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) target.set(key, value);
  });
  return true;
}

export function removeDecision(doc: Y.Doc, itemId: string, decisionId: string): void {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (decisions instanceof Y.Map) decisions.delete(decisionId);
}

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

/** Marks a decision on the board as recorded (creating the draft if the room never had one). */
export function markDecision(doc: Y.Doc, itemId: string, decision: RecordedDecision, nowMs: number): boolean {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (!(decisions instanceof Y.Map)) return false;
  doc.transact(() => {
    let target = decisions.get(decision.id);
    if (!(target instanceof Y.Map)) {
      target = new Y.Map<unknown>();
      (target as Y.Map<unknown>).set('createdAt', nowMs);
      decisions.set(decision.id, target);
    }
    const map = target as Y.Map<unknown>;
    for (const [key, value] of Object.entries(decision)) map.set(key, value);
    map.set('actionItemId', decision.id);
  });
  return true;
}
