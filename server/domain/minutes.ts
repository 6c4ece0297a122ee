// The minutes of a review as rules: who was there, how long it ran, the agenda with its final notes, the pivots
// and what became of them, the decisions with owners, due dates and commitment status, and the commitments check.
// Pure: the board, the event log, the participants and the action items (PostgreSQL holds the truth about those)
// come in as plain data. Who attended is minutes-attendance.ts, the commitments check minutes-commitments.ts,
// rendering to Markdown minutes-markdown.ts.
import type { AgendaItemView, ItemKind, RoomRole, RoomView } from './board-schema.ts';
import type { ReplayEvent } from './replay.ts';
import { attendanceOf, type MinutesAbsentee, type MinutesAttendee } from './minutes-attendance.ts';
import { commitmentsCheckOf, type MinutesCommitmentsCheck } from './minutes-commitments.ts';
import { omitEmptyFields } from './minutes-notes.ts';
import type { TriageState } from './triage-info.ts';

export const MINUTES_VERSION = 1;

/** An action item as PostgreSQL has it: the truth about a decision's owner, due date and status. */
export interface MinutesActionFact {
  id: string;
  reviewId: string | null;
  itemId: string | null;
  title: string;
  ownerId: string;
  ownerName: string;
  dueDate: string;
  status: 'proposed' | 'committed' | 'done' | 'dropped';
  committedAt: string | null;
  dropReason: string | null;
}

export interface MinutesInput {
  review: {
    id: string;
    title: string;
    series: string | null;
    scheduledAt: string;
    startedAt: string | null;
    closedAt: string | null;
    status: 'scheduled' | 'live' | 'closed';
  };
  agenda: AgendaItemView[];
  room: Pick<RoomView, 'facilitatorId'>;
  /** The review's event log, in the order it was logged. */
  events: readonly ReplayEvent[];
  participants: { userId: string; name: string; role: RoomRole }[];
  /** The review's action items and those its commitments check lists. */
  actions: MinutesActionFact[];
  /** Names of everyone the board or the log mentions. */
  names: Record<string, string>;
  /** Where the replay lives: `/reviews/<id>/replay`, or a share link's replay. */
  replayPath: string;
  generatedAt: string;
}

export type DecisionStatus = MinutesActionFact['status'] | 'draft';

export interface MinutesDecision {
  id: string;
  itemId: string | null;
  itemTitle: string | null;
  title: string;
  owner: { id: string; name: string } | null;
  dueDate: string | null;
  /** `draft`: drafted on the board, never recorded as an action item. */
  status: DecisionStatus;
  committedAt: string | null;
  dropReason: string | null;
  /** When it was recorded (its action.recorded event). */
  recordedAt: string | null;
  /** The moment it was recorded, in the replay. */
  replayLink: string | null;
}

export type PivotOutcome = 'open' | 'dismissed' | 'recovered';

export interface MinutesPivot {
  itemId: string;
  itemTitle: string;
  metricId: string;
  /** Why it pivoted, as it was then. */
  why: string;
  /** On a recovered pivot, where the metric stood at the close. */
  current: string | null;
  outcome: PivotOutcome;
  pivotedAt: string;
  dismissedBy: string | null;
  dismissedAt: string | null;
  recoveredAt: string | null;
  replayLink: string;
}

export interface MinutesItem {
  id: string;
  position: number;
  kind: ItemKind;
  title: string;
  presenter: string | null;
  notes: string;
  pivot: MinutesPivot | null;
  decisions: MinutesDecision[];
}

export interface Minutes {
  version: typeof MINUTES_VERSION;
  /** True while the review is still live: the minutes may change. */
  draft: boolean;
  generatedAt: string;
  review: MinutesInput['review'] & { durationMinutes: number | null };
  facilitator: { id: string; name: string } | null;
  attendees: MinutesAttendee[];
  /** Listed as participants but never joined the room. */
  absent: MinutesAbsentee[];
  items: MinutesItem[];
  pivots: MinutesPivot[];
  decisions: MinutesDecision[];
  commitmentsCheck: MinutesCommitmentsCheck | null;
}

const isoOf = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const TRIAGE_OUTCOME: Record<TriageState, PivotOutcome> = {
  active: 'open',
  dismissed: 'dismissed',
  recovered: 'recovered',
};

/** Whole minutes from start to close (to `generatedAt` for a live review); null when it never started. */
export function durationMinutes(startedAt: string | null, endedAt: string | null): number | null {
  if (!startedAt || !endedAt) return null;
  return Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000));
}

export function replayLinkAt(replayPath: string, at: number): string {
  return `${replayPath}?at=${Math.round(at)}`;
}

export function buildMinutes(input: MinutesInput): Minutes {
  const { review, agenda, events, participants, replayPath } = input;
  const nameOf = (userId: string | null): string =>
    (userId && (input.names[userId] ?? participants.find((p) => p.userId === userId)?.name)) || 'Someone';
  const facilitatorId = participants.find((p) => p.role === 'facilitator')?.userId ?? input.room.facilitatorId ?? null;

  const { attendees, absent } = attendanceOf(events, participants, facilitatorId, nameOf);

  const recordedAt = new Map<string, number>();
  for (const event of events) {
    const actionId = event.data.actionId;
    if (event.kind === 'action.recorded' && typeof actionId === 'string' && !recordedAt.has(actionId))
      recordedAt.set(actionId, event.at);
  }
  const actions = new Map(input.actions.map((action) => [action.id, action]));
  const decisionOf = (
    id: string,
    item: { id: string; title: string } | null,
    draft: { title: string; ownerId: string | null; dueDate: string | null } | null,
  ): MinutesDecision => {
    const action = actions.get(id);
    const at = recordedAt.get(id) ?? null;
    return {
      id,
      itemId: item?.id ?? action?.itemId ?? null,
      itemTitle: item?.title ?? null,
      title: action?.title ?? draft?.title ?? '',
      owner: action
        ? { id: action.ownerId, name: action.ownerName }
        : draft?.ownerId
          ? { id: draft.ownerId, name: nameOf(draft.ownerId) }
          : null,
      dueDate: action?.dueDate ?? draft?.dueDate ?? null,
      status: action?.status ?? 'draft',
      committedAt: action?.committedAt ?? null,
      dropReason: action?.dropReason ?? null,
      recordedAt: isoOf(at),
      replayLink: at === null ? null : replayLinkAt(replayPath, at),
    };
  };

  const onBoard = new Set<string>();
  const items: MinutesItem[] = agenda.map((view, index) => {
    const decisions = view.decisions
      .map((decision) => {
        const id = decision.actionItemId ?? decision.id;
        onBoard.add(id);
        return decisionOf(id, view, decision);
      })
      .sort(
        (a, b) => (a.recordedAt ?? '\uffff').localeCompare(b.recordedAt ?? '\uffff') || a.title.localeCompare(b.title),
      );
    const triage = view.triage;
    const pivot: MinutesPivot | null = triage
      ? {
          itemId: view.id,
          itemTitle: view.title,
          metricId: triage.metricId,
          why: triage.why,
          current: triage.state === 'recovered' ? (triage.current ?? null) : null,
          outcome: TRIAGE_OUTCOME[triage.state] ?? 'open',
          pivotedAt: isoOf(triage.pivotedAt)!,
          dismissedBy: triage.state === 'dismissed' && triage.dismissedBy ? nameOf(triage.dismissedBy) : null,
          dismissedAt: triage.state === 'dismissed' ? isoOf(triage.dismissedAt) : null,
          recoveredAt: triage.state === 'recovered' ? isoOf(triage.recoveredAt) : null,
          replayLink: replayLinkAt(replayPath, triage.pivotedAt),
        }
      : null;
    return {
      id: view.id,
      position: index + 1,
      kind: view.kind,
      title: view.title,
      presenter: view.presenterId ? nameOf(view.presenterId) : null,
      notes: omitEmptyFields(view.notes),
      pivot,
      decisions,
    };
  });
  // Decisions recorded through the API without a place on the board still belong in the minutes.
  const offBoard = input.actions
    .filter((action) => action.reviewId === review.id && !onBoard.has(action.id))
    .map((action) => decisionOf(action.id, null, null))
    .sort((a, b) => (a.recordedAt ?? '').localeCompare(b.recordedAt ?? '') || a.title.localeCompare(b.title));

  const draft = review.status !== 'closed';
  return {
    version: MINUTES_VERSION,
    draft,
    generatedAt: input.generatedAt,
    review: {
      ...review,
      durationMinutes: durationMinutes(review.startedAt, review.closedAt ?? (draft ? input.generatedAt : null)),
    },
    facilitator: facilitatorId ? { id: facilitatorId, name: nameOf(facilitatorId) } : null,
    attendees,
    absent,
    items,
    pivots: items.flatMap((item) => (item.pivot ? [item.pivot] : [])),
    // In the order they were recorded; drafts (never recorded) last, in agenda order.
    decisions: [...items.flatMap((item) => item.decisions), ...offBoard]
      .map((decision, index) => ({ decision, index }))
      .sort(
        (a, b) =>
          (a.decision.recordedAt ?? '\uffff').localeCompare(b.decision.recordedAt ?? '\uffff') || a.index - b.index,
      )
      .map(({ decision }) => decision),
    commitmentsCheck: commitmentsCheckOf(agenda, actions),
  };
}

/** What the room shows when the minutes are ready: a few counts. */
export function minutesSummary(minutes: Minutes) {
  return {
    attendees: minutes.attendees.length,
    items: minutes.items.length,
    pivots: minutes.pivots.length,
    decisions: minutes.decisions.filter((d) => d.status !== 'draft').length,
    committed: minutes.decisions.filter((d) => d.status === 'committed' || d.status === 'done').length,
    durationMinutes: minutes.review.durationMinutes,
  };
}
export type MinutesSummary = ReturnType<typeof minutesSummary>;
