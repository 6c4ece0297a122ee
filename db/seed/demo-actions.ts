// Last week's review of the demo series, closed, with a generated edit history to replay: four people join, the
// presenters type their notes, a slipping fuel-cost reading pivots the agenda mid-meeting, the room decides three
// things and each owner commits. One of those items is done since, one is overdue and one is closed by the
// numbers; this week's review lists the open ones in its commitments check.
// It stays one file of about 330 lines: most of it is the meeting's script (decisions, notes, who says what when),
// and the code that plays it reads best beside it.
import * as Y from 'yjs';
import type { Db } from '../../server/db/connect.ts';
import { recordedDecision } from '../../server/services/follow-up.ts';
import { calendarDate, isOverdue } from '../../server/domain/action-items.ts';
import {
  draftDecision,
  generateAgenda,
  initializeBoard,
  markDecision,
  notesOf,
  readAgenda,
  readRoom,
  setCurrentItem,
  setPhase,
  type CommitmentEntry,
  type Phase,
} from '../../server/domain/board.ts';
import type { TriageInfo } from '../../server/domain/triage-info.ts';
import { applyTriage } from '../../server/domain/triage.ts';
import { findActionItem, insertActionItem, updateActionItem } from '../../server/store/action-items.ts';
import { appendReviewEvent } from '../../server/store/review-events.ts';
import { insertReview, transitionReview } from '../../server/store/reviews.ts';
import { ScriptedBoard, seededRandom, typeWords } from './demo-history.ts';
import type { DemoPeople, DemoScope } from './demo-portfolio.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const FUEL = 'Fleet fuel cost savings';
const LATENCY = 'Dispatch API p95 latency (ms)';

interface DemoDecision {
  title: string;
  owner: keyof DemoPeople;
  /** Minutes into the meeting when it was recorded; the owner commits a minute later. */
  minute: number;
  dueInDays: number;
  metric: string;
  outcome: 'committed' | 'done';
  expectedEffect?: { maxSlip: number; inDays: number };
}

const DECISIONS: DemoDecision[] = [
  {
    title: 'Renegotiate the fuel card contract',
    owner: 'finance',
    minute: 24,
    dueInDays: -2,
    metric: FUEL,
    outcome: 'committed',
  },
  {
    title: 'Eco-driving training for the north region drivers',
    owner: 'north',
    minute: 27,
    dueInDays: 12,
    metric: FUEL,
    outcome: 'committed',
    expectedEffect: { maxSlip: 0.05, inDays: 60 },
  },
  {
    title: 'Load-test the dispatch API before the holiday peak',
    owner: 'it',
    minute: 35,
    dueInDays: -1,
    metric: LATENCY,
    outcome: 'done',
  },
];

/** What the presenters say about their items, and what a colleague adds. */
const STATUS_NOTES: Record<string, { presenter: string; colleague?: [keyof DemoPeople, string] }> = {
  'Depots with handheld scanners': {
    presenter:
      'Scanners are live in 14 of 22 depots. Rollout in the south slipped a week because of the driver union consultation; catching up in January.',
    colleague: ['south', 'South depots get their devices on the 8th, training booked.'],
  },
  'Median last-mile delivery time': {
    presenter:
      'Median is down to 41 minutes from 47 at the start of the year. The north region is at 38, the south still at 44.',
    colleague: ['north', 'North gains come from the new route batching, not from the scanners yet.'],
  },
  [LATENCY]: {
    presenter:
      'p95 latency is 420 ms against a plan of 380. The queue rewrite lands next sprint; holiday peak is the risk.',
    colleague: ['vp', 'We cannot go into the peak without a load test.'],
  },
};

/** The triage notes, each typed under its heading of the triage template. */
const TRIAGE_NOTES: [keyof DemoPeople, string, string][] = [
  [
    'finance',
    'What happened:',
    'Diesel prices rose 9% since October and the fuel card discount ended with the old contract. Savings are 16% behind plan.',
  ],
  ['north', 'What happened:', 'Idling at the north hubs is up too: drivers wait for loading with the engine on.'],
  ['vp', 'Options:', 'Renegotiate the card contract now, or an eco-driving push in the north, or both.'],
  ['vp', 'Decision:', 'Both. Sofia renegotiates the fuel cards; Priya runs eco-driving training in the north.'],
];

/** Seeds last week's closed review; resolves with the open action items this week's commitments check lists. */
export async function seedLastWeeksReview(
  tx: Db,
  organizationId: string,
  seriesTitle: string,
  people: DemoPeople,
  scope: DemoScope,
  now: Date,
): Promise<CommitmentEntry[]> {
  const random = seededRandom(20261128);
  const heldAt = new Date(now.getTime() - 7 * DAY);
  heldAt.setUTCMinutes(0, 0, 0);
  const at = (minute: number) => new Date(heldAt.getTime() + minute * MINUTE);
  const reviewId = crypto.randomUUID();
  const title = `${seriesTitle}, ${heldAt.toISOString().slice(0, 10)}`;
  const fuel = scope.metrics.find((m) => m.title === FUEL)!;

  // A week ago fuel savings were only at risk, so the agenda did not lead with them.
  const lastWeek = {
    ...scope,
    metrics: scope.metrics.map((m) => (m.id === fuel.id ? { ...m, status: 'at risk' as const } : m)),
  };
  const initial = new Y.Doc();
  initializeBoard(
    initial,
    generateAgenda(lastWeek, () => crypto.randomUUID()),
    { facilitatorId: people.vp },
  );
  const board = new ScriptedBoard(initial, heldAt);
  initial.destroy();

  await insertReview(tx, organizationId, {
    id: reviewId,
    title,
    seriesTitle,
    scheduledAt: heldAt,
    metricIds: scope.metrics.map((m) => m.id),
    initiativeIds: scope.initiatives.map((i) => i.id),
    createdBy: people.vp,
    participants: [{ userId: people.vp, role: 'facilitator' }],
  });
  await transitionReview(tx, reviewId, 'scheduled', 'live', heldAt);
  const event = (kind: string, actorId: string | null, when: Date, data: Record<string, unknown> = {}) =>
    appendReviewEvent(tx, reviewId, { kind, actorId, at: when, data });
  await event('review.started', people.vp, heldAt);
  const arrivals: [keyof DemoPeople, number][] = [
    ['vp', 0.3],
    ['finance', 0.8],
    ['north', 1.1],
    ['it', 1.6],
    ['south', 2.2],
  ];
  for (const [who, minute] of arrivals) await event('room.joined', people[who], at(minute));
  const phase = async (to: Phase, minute: number, from: Phase) => {
    board.act(people.vp, at(minute), (doc) => setPhase(doc, to));
    await event('review.phase', people.vp, at(minute), { from, to });
  };
  await phase('metrics', 2.5, 'check-in');

  // The status updates, the presenter typing first and a colleague adding a line.
  const agenda = readAgenda(board.server);
  const presenterOf = (itemId: string) => agenda.find((item) => item.id === itemId)?.presenterId ?? people.vp;
  let minute = 3;
  for (const item of agenda.filter((entry) => STATUS_NOTES[entry.title] && entry.metricId)) {
    const script = STATUS_NOTES[item.title]!;
    board.act(people.vp, at(minute), (doc) => setCurrentItem(doc, item.id));
    const notes = (doc: Y.Doc) => notesOf(doc, item.id);
    let clock = typeWords(board, presenterOf(item.id), at(minute + 0.3), script.presenter, notes, random);
    if (script.colleague) {
      const [who, text] = script.colleague;
      clock = typeWords(board, people[who], new Date(clock.getTime() + 20_000), `\n${text}`, notes, random);
    }
    minute = Math.max(minute + 4, (clock.getTime() - heldAt.getTime()) / MINUTE + 1);
  }

  // A reading arrives: fuel savings cross the threshold and the agenda pivots in front of everyone.
  const fuelItem = agenda.find((item) => item.metricId === fuel.id)!;
  const current = readAgenda(board.server).findIndex((item) => item.id === readRoom(board.server).currentItemId);
  const pivotAt = at(minute);
  const info: TriageInfo = {
    metricId: fuel.id,
    state: 'active',
    why: `${FUEL} 16% behind plan (threshold 15%)`,
    slip: 0.16,
    threshold: 0.15,
    latest: null,
    trend: 'worsening',
    impact: [],
    moneyAtRisk: 0,
    currency: null,
    pivotedAt: pivotAt.getTime(),
    recoveredAt: null,
    dismissedBy: null,
    dismissedAt: null,
  };
  board.act(null, pivotAt, (doc) =>
    applyTriage(
      doc,
      [{ kind: 'pivot', itemId: fuelItem.id, title: FUEL, info, toIndex: current + 1, inPlace: false }],
      () => crypto.randomUUID(),
    ),
  );
  await event('triage.pivoted', null, pivotAt, { metricId: fuel.id, itemId: fuelItem.id, why: info.why, slip: 0.16 });
  minute += 1;
  board.act(people.vp, at(minute), (doc) => setCurrentItem(doc, fuelItem.id));
  await phase('triage', minute, 'metrics');
  let clock = at(minute + 0.5);
  for (const [who, heading, text] of TRIAGE_NOTES)
    clock = typeWords(
      board,
      people[who],
      new Date(clock.getTime() + 15_000),
      ` ${text}`,
      (doc) => notesOf(doc, fuelItem.id),
      random,
      (notes) => {
        // At the end of the heading's paragraph: after the heading and whatever was typed under it already.
        const start = notes.indexOf(heading);
        if (start < 0) return notes.length;
        const blank = notes.indexOf('\n\n', start);
        return blank < 0 ? notes.length : blank;
      },
    );

  // The decisions: drafted on the board, recorded as action items, committed to by their owners.
  const entries: CommitmentEntry[] = [];
  for (const decision of DECISIONS) {
    const metricId = scope.metrics.find((m) => m.title === decision.metric)?.id ?? null;
    const item = agenda.find((entry) => entry.metricId === metricId) ?? agenda[0]!;
    if (decision.metric === LATENCY) {
      board.act(people.vp, at(decision.minute - 3), (doc) => setCurrentItem(doc, item.id));
    }
    const id = crypto.randomUUID();
    const ownerId = people[decision.owner];
    const recordedAt = at(decision.minute);
    const dueDate = calendarDate(new Date(now.getTime() + decision.dueInDays * DAY));
    board.act(people.vp, at(decision.minute - 1), (doc) =>
      draftDecision(
        doc,
        item.id,
        { id, title: decision.title, ownerId, dueDate, metricId, createdBy: people.vp },
        at(decision.minute - 1).getTime(),
      ),
    );
    await insertActionItem(
      tx,
      organizationId,
      {
        id,
        reviewId,
        itemId: item.id,
        title: decision.title,
        ownerId,
        dueDate,
        initiativeId: null,
        metricId,
        expectedEffect: decision.expectedEffect
          ? {
              maxSlip: decision.expectedEffect.maxSlip,
              by: calendarDate(new Date(now.getTime() + decision.expectedEffect.inDays * DAY)),
            }
          : null,
      },
      people.vp,
      recordedAt,
    );
    await event('action.recorded', people.vp, recordedAt, {
      actionId: id,
      itemId: item.id,
      ownerId,
      title: decision.title,
      dueDate,
    });
    const recorded = (await findActionItem(tx, id))!;
    board.act(null, recordedAt, (doc) => markDecision(doc, item.id, recordedDecision(recorded), recordedAt.getTime()));

    const committedAt = at(decision.minute + 1);
    await updateActionItem(
      tx,
      id,
      1,
      { status: 'committed', committedAt },
      { actorId: ownerId, at: committedAt, change: 'committed' },
    );
    await event('action.committed', ownerId, committedAt, { actionId: id, itemId: item.id });
    const committed = (await findActionItem(tx, id))!;
    board.act(null, committedAt, (doc) =>
      markDecision(doc, item.id, recordedDecision(committed), committedAt.getTime()),
    );
    if (decision.outcome === 'done') {
      const doneAt = new Date(now.getTime() - 2 * DAY);
      await updateActionItem(tx, id, 2, { status: 'done' }, { actorId: ownerId, at: doneAt, change: 'done' });
    }
    const row = (await findActionItem(tx, id))!;
    if (row.status === 'committed' || row.status === 'proposed')
      entries.push({
        id,
        title: row.title,
        ownerId,
        ownerName: row.owner.name,
        dueDate: row.dueDate,
        status: row.status,
        overdue: isOverdue(row, now),
        verification: row.verification,
        reviewTitle: title,
      });
  }

  await phase('commitments', 40, 'triage');
  await phase('wrap-up', 45, 'commitments');
  for (const [who, minuteLeft] of [
    ['south', 49],
    ['it', 49.5],
    ['north', 50],
    ['finance', 50.2],
    ['vp', 51],
  ] as const)
    await event('room.left', people[who], at(minuteLeft));
  const closedAt = at(52);
  await board.store(tx, reviewId);
  await transitionReview(tx, reviewId, 'live', 'closed', closedAt);
  await event('review.closed', people.vp, closedAt);
  board.destroy();
  return entries;
}
