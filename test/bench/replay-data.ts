// A long review for the replay benchmark: five people in one meeting, the presenters and colleagues typing their
// notes character by character (as the notes editor sends them), the facilitator moving through the agenda and
// reordering it, dot votes, a pivot to triage and decisions recorded and committed. Every edit is made on that
// person's own copy of the board and logged in order, then stored like the server stores it: appendBoardUpdates
// with a snapshot every 500 updates. Deterministic (seeded).
import * as Y from 'yjs';
import type { Db } from '../../server/db/connect.ts';
import {
  castVote,
  draftDecision,
  initializeBoard,
  markDecision,
  moveItem,
  notesOf,
  readAgenda,
  setCurrentItem,
  setPhase,
  type Phase,
} from '../../server/domain/board.ts';
import type { TriageInfo } from '../../server/domain/triage-info.ts';
import { applyTriage } from '../../server/domain/triage.ts';
import { appendReviewEvent } from '../../server/store/review-events.ts';
import { insertReview, transitionReview } from '../../server/store/reviews.ts';
import { ScriptedBoard, seededRandom } from '../../db/seed/demo-history.ts';

const TITLES = [
  'Median last-mile delivery time',
  'Fleet fuel cost savings',
  'Dispatch API p95 latency (ms)',
  'Depots with handheld scanners',
  'Driver retention',
  'Parcel damage rate',
  'Customer complaints per 1,000 parcels',
  'Route batching pilot',
];
const WORDS =
  'the north region is ahead of plan while the south still waits for devices we expect the queue rewrite to land next sprint costs rose because diesel prices went up and the card discount ended drivers idle at the hubs options are to renegotiate or to train'.split(
    ' ',
  );
const PHASES: Phase[] = ['metrics', 'triage', 'commitments', 'wrap-up'];

export interface LongReview {
  reviewId: string;
  updates: number;
  startedAt: Date;
  closedAt: Date;
}

/** Writes a closed review with `updates` board updates into the organization; people[0] facilitates. */
export async function seedLongReview(
  sql: Db,
  organizationId: string,
  people: string[],
  options: { updates: number; seed?: number; title?: string },
): Promise<LongReview> {
  const random = seededRandom(options.seed ?? 50_000);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const facilitator = people[0]!;
  const startedAt = new Date(Date.now() - 3 * 86_400_000);
  startedAt.setUTCSeconds(0, 0);
  let clock = startedAt.getTime();

  const initial = new Y.Doc();
  const agendaSeeds = TITLES.map((title, index) => ({
    id: crypto.randomUUID(),
    kind: 'status-update' as const,
    title,
    presenterId: people[index % people.length]!,
  }));
  initializeBoard(initial, agendaSeeds, { facilitatorId: facilitator });
  const board = new ScriptedBoard(initial, startedAt);
  initial.destroy();

  const reviewId = crypto.randomUUID();
  await insertReview(sql, organizationId, {
    id: reviewId,
    title: options.title ?? `Replay bench: ${options.updates.toLocaleString('en')} board updates`,
    seriesTitle: null,
    scheduledAt: startedAt,
    metricIds: [],
    initiativeIds: [],
    createdBy: facilitator,
    participants: people.map((userId, index) => ({ userId, role: index === 0 ? 'facilitator' : 'owner' })),
  });
  await transitionReview(sql, reviewId, 'scheduled', 'live', startedAt);
  const events: { kind: string; actorId: string | null; at: Date; data?: Record<string, unknown> }[] = [
    { kind: 'review.started', actorId: facilitator, at: startedAt },
  ];
  people.forEach((userId, index) =>
    events.push({ kind: 'room.joined', actorId: userId, at: new Date(clock + 5_000 + index * 7_000) }),
  );

  // Milestones along the log, by how many updates have been written.
  const total = options.updates;
  const itemsPerStretch = Math.max(1, Math.floor(total / TITLES.length));
  let nextPhase = 0;
  let pivoted = false;
  let decisions = 0;
  let current: string = agendaSeeds[0]!.id;
  let typing: { person: string; itemId: string; position: number | null; rest: string } | null = null;
  let agenda = readAgenda(board.server);
  let stale = false;

  while (board.log.length < total) {
    const done = board.log.length;
    clock += 20 + Math.floor(random() * 100);
    const at = new Date(clock);
    // Reading the whole board is costly with 50,000 updates in it: only after edits that reorder it.
    if (stale) {
      agenda = readAgenda(board.server);
      stale = false;
    }

    if (nextPhase < PHASES.length && done >= ((nextPhase + 1) * total) / (PHASES.length + 1)) {
      const to = PHASES[nextPhase]!;
      board.act(facilitator, at, (doc) => setPhase(doc, to));
      events.push({
        kind: 'review.phase',
        actorId: facilitator,
        at,
        data: { from: PHASES[nextPhase - 1] ?? 'check-in', to },
      });
      nextPhase++;
      continue;
    }
    if (!pivoted && done >= total * 0.4) {
      pivoted = true;
      const target = agenda.find((item) => item.title === 'Fleet fuel cost savings')!;
      const info: TriageInfo = {
        metricId: crypto.randomUUID(),
        state: 'active',
        why: 'Fleet fuel cost savings 17% behind plan (threshold 15%)',
        slip: 0.17,
        threshold: 0.15,
        latest: null,
        trend: 'worsening',
        impact: [],
        moneyAtRisk: 0,
        currency: null,
        pivotedAt: clock,
        recoveredAt: null,
        dismissedBy: null,
        dismissedAt: null,
      };
      board.act(null, at, (doc) =>
        applyTriage(
          doc,
          [{ kind: 'pivot', itemId: target.id, title: target.title, info, toIndex: 0, inPlace: false }],
          () => crypto.randomUUID(),
        ),
      );
      events.push({ kind: 'triage.pivoted', actorId: null, at, data: { itemId: target.id, why: info.why } });
      current = target.id;
      board.act(facilitator, new Date(clock + 1), (doc) => setCurrentItem(doc, target.id));
      stale = true;
      continue;
    }
    if (decisions < 2 && done >= total * (0.6 + decisions * 0.1)) {
      decisions++;
      const id = crypto.randomUUID();
      const ownerId = people[decisions % people.length]!;
      const title = decisions === 1 ? 'Renegotiate the fuel card contract' : 'Eco-driving training in the north';
      board.act(facilitator, at, (doc) =>
        draftDecision(doc, current, { id, title, ownerId, dueDate: '2026-12-18', createdBy: facilitator }, clock),
      );
      const recorded = {
        id,
        title,
        ownerId,
        dueDate: '2026-12-18',
        metricId: null,
        initiativeId: null,
        expectedMaxSlip: null,
        expectedBy: null,
        createdBy: facilitator,
        proposedDueDate: null,
        verification: null,
      };
      const recordedAt = new Date(clock + 2_000);
      board.act(null, recordedAt, (doc) =>
        markDecision(doc, current, { ...recorded, status: 'proposed', committedAt: null }, recordedAt.getTime()),
      );
      events.push({
        kind: 'action.recorded',
        actorId: facilitator,
        at: recordedAt,
        data: { actionId: id, itemId: current, ownerId, title, dueDate: '2026-12-18' },
      });
      const committedAt = new Date(clock + 30_000);
      board.act(null, committedAt, (doc) =>
        markDecision(
          doc,
          current,
          { ...recorded, status: 'committed', committedAt: committedAt.getTime() },
          committedAt.getTime(),
        ),
      );
      events.push({
        kind: 'action.committed',
        actorId: ownerId,
        at: committedAt,
        data: { actionId: id, itemId: current },
      });
      clock += 30_000;
      continue;
    }
    // The facilitator moves on through the agenda (before the pivot; after it the room stays in triage).
    if (!pivoted && done > 0 && done % itemsPerStretch === 0) {
      const index = agenda.findIndex((item) => item.id === current);
      current = agenda[(index + 1) % agenda.length]!.id;
      const id = current;
      board.act(facilitator, at, (doc) => setCurrentItem(doc, id));
      continue;
    }

    const roll = random();
    const person = pick(people);
    if (roll < 0.04) {
      const item = pick(agenda);
      board.act(person, at, (doc) => castVote(doc, item.id, person, random() < 0.8 ? 1 : -1));
    } else if (roll < 0.05) {
      const item = pick(agenda);
      board.act(facilitator, at, (doc) => moveItem(doc, item.id, Math.floor(random() * agenda.length)));
      stale = true;
    } else if (roll < 0.08) {
      const id = current;
      board.act(person, at, (doc) => {
        const notes = notesOf(doc, id);
        if (notes && notes.length > 3)
          notes.delete(Math.floor(random() * (notes.length - 3)), 1 + Math.floor(random() * 3));
      });
    } else {
      // Typing: one person types a word one character per update (as the notes editor sends them), mostly at
      // the end of the notes, sometimes in the middle of what is there.
      if (!typing || typing.rest === '') {
        const itemId = random() < 0.85 ? current : pick(agenda).id;
        const length = notesOf(board.server, itemId)?.length ?? 0;
        typing = {
          person,
          itemId,
          position: random() < 0.15 ? Math.floor(random() * (length + 1)) : null,
          rest: `${pick(WORDS)} `,
        };
      }
      const word = typing;
      const char = word.rest[0]!;
      word.rest = word.rest.slice(1);
      board.act(word.person, at, (doc) => {
        const notes = notesOf(doc, word.itemId);
        if (!notes) return;
        const position = word.position === null ? notes.length : Math.min(word.position, notes.length);
        notes.insert(position, char);
        if (word.position !== null) word.position = position + 1;
      });
    }
  }

  const closedAt = new Date(clock + 60_000);
  for (const [index, userId] of people.entries())
    events.push({ kind: 'room.left', actorId: userId, at: new Date(clock + 10_000 + index * 1_000) });
  events.push({ kind: 'review.closed', actorId: facilitator, at: closedAt });
  await board.store(sql, reviewId, 500);
  board.destroy();
  for (const event of events.sort((a, b) => a.at.getTime() - b.at.getTime()))
    await appendReviewEvent(sql, reviewId, {
      kind: event.kind,
      actorId: event.actorId,
      at: event.at,
      data: event.data ?? {},
    });
  await transitionReview(sql, reviewId, 'live', 'closed', closedAt);
  return { reviewId, updates: board.log.length, startedAt, closedAt };
}
