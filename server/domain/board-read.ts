// Reads the review board into plain views (board-schema.ts); entries that do not fit the schema are left out.
import * as Y from 'yjs';
import {
  DEFAULT_TIMEBOX_MINUTES,
  DEFAULT_VOTES_PER_PERSON,
  ITEM_KINDS,
  PHASES,
  itemsOf,
  roomOf,
  type AgendaItemView,
  type CommitmentEntry,
  type DecisionView,
  type FollowState,
  type ItemKind,
  type Phase,
  type RoomView,
  type TimerState,
} from './board-schema.ts';
import type { TriageInfo } from './triage-info.ts';

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** An agenda item's own fields, without what it holds (notes, votes, decisions, commitments). */
export type ItemFields = Omit<AgendaItemView, 'notes' | 'votes' | 'voteTotal' | 'decisions' | 'commitments'>;

/** An item's own fields, or null when the entry does not fit the schema (the room reads each part on its own). */
export function readItemFields(item: Y.Map<unknown>): ItemFields | null {
  const id = str(item.get('id'));
  const kind = str(item.get('kind'));
  if (!id || !kind || !(ITEM_KINDS as readonly string[]).includes(kind)) return null;
  return {
    id,
    kind: kind as ItemKind,
    title: str(item.get('title')) ?? '',
    order: num(item.get('order'), 0),
    metricId: str(item.get('metricId')),
    initiativeId: str(item.get('initiativeId')),
    presenterId: str(item.get('presenterId')),
    timeboxMinutes: num(item.get('timeboxMinutes'), DEFAULT_TIMEBOX_MINUTES),
    triage: readTriage(item.get('triage')),
  };
}

/** An item's dot votes (its `votes` entry): each voter's count, and their total. */
export function readVotes(votes: unknown): Pick<AgendaItemView, 'votes' | 'voteTotal'> {
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
  return { votes: voteEntries, voteTotal };
}

/** An item's decisions (its `decisions` entry), by id. */
export function readDecisions(decisions: unknown): DecisionView[] {
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
  return decisionViews.sort((a, b) => a.id.localeCompare(b.id));
}

function readItem(item: Y.Map<unknown>): AgendaItemView | null {
  const fields = readItemFields(item);
  if (!fields) return null;
  const notes = item.get('notes');
  return {
    ...fields,
    notes: notes instanceof Y.Text ? notes.toString() : '',
    ...readVotes(item.get('votes')),
    decisions: readDecisions(item.get('decisions')),
    commitments: readCommitments(item.get('commitments')),
  };
}

/** The earlier reviews' open action items on a commitments check (its `commitments` entry), overdue first. */
export function readCommitments(value: unknown): CommitmentEntry[] {
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

function readTriage(value: unknown): TriageInfo | null {
  if (!value || typeof value !== 'object') return null;
  const info = value as Partial<TriageInfo>;
  return typeof info.metricId === 'string' && typeof info.state === 'string' && typeof info.why === 'string'
    ? (info as TriageInfo)
    : null;
}

/** The agenda's order: by `order`, ties by id, so that every replica sorts alike. */
export const byOrder = (a: { order: number; id: string }, b: { order: number; id: string }) =>
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
