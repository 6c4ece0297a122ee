// Last week's review of the demo series, closed, with the decisions it recorded as action items: one done, two
// committed (one of them overdue, one closed by the numbers). This week's review lists the open ones in its
// commitments check.
import * as Y from 'yjs';
import type { Db } from '../../server/db/connect.ts';
import { calendarDate, isOverdue } from '../../server/domain/action-items.ts';
import {
  generateAgenda,
  initializeBoard,
  markDecision,
  readAgenda,
  type CommitmentEntry,
} from '../../server/domain/board.ts';
import { findActionItem, insertActionItem, updateActionItem } from '../../server/store/action-items.ts';
import { appendBoardUpdates } from '../../server/store/board-log.ts';
import { appendReviewEvent, insertReview, transitionReview } from '../../server/store/reviews.ts';
import { recordedDecision } from '../../server/actions/follow-up.ts';
import type { DemoPeople, DemoScope } from './demo-portfolio.ts';

const DAY = 86_400_000;

interface DemoDecision {
  title: string;
  owner: keyof DemoPeople;
  dueInDays: number;
  metric: string;
  outcome: 'committed' | 'done';
  expectedEffect?: { maxSlip: number; inDays: number };
}

const DECISIONS: DemoDecision[] = [
  {
    title: 'Renegotiate the fuel card contract',
    owner: 'finance',
    dueInDays: -2,
    metric: 'Fleet fuel cost savings',
    outcome: 'committed',
  },
  {
    title: 'Eco-driving training for the north region drivers',
    owner: 'north',
    dueInDays: 12,
    metric: 'Fleet fuel cost savings',
    outcome: 'committed',
    expectedEffect: { maxSlip: 0.05, inDays: 60 },
  },
  {
    title: 'Load-test the dispatch API before the holiday peak',
    owner: 'it',
    dueInDays: -1,
    metric: 'Dispatch API p95 latency (ms)',
    outcome: 'done',
  },
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
  const heldAt = new Date(now.getTime() - 7 * DAY);
  heldAt.setUTCMinutes(0, 0, 0);
  const reviewId = crypto.randomUUID();
  const title = `${seriesTitle}, ${heldAt.toISOString().slice(0, 10)}`;
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    generateAgenda(scope, () => crypto.randomUUID()),
    { facilitatorId: people.vp },
  );
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
  await appendReviewEvent(tx, reviewId, { kind: 'review.started', actorId: people.vp, at: heldAt });

  const agenda = readAgenda(doc);
  const names = [...scope.metrics];
  const entries: CommitmentEntry[] = [];
  let minute = 5;
  for (const decision of DECISIONS) {
    const metricId = names.find((m) => m.title === decision.metric)?.id ?? null;
    const itemId = agenda.find((item) => item.metricId === metricId)?.id ?? agenda[0]!.id;
    const id = crypto.randomUUID();
    const recordedAt = new Date(heldAt.getTime() + minute++ * 60_000);
    const ownerId = people[decision.owner];
    await insertActionItem(
      tx,
      organizationId,
      {
        id,
        reviewId,
        itemId,
        title: decision.title,
        ownerId,
        dueDate: calendarDate(new Date(now.getTime() + decision.dueInDays * DAY)),
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
    await appendReviewEvent(tx, reviewId, {
      kind: 'action.recorded',
      actorId: people.vp,
      at: recordedAt,
      data: { actionId: id, itemId, ownerId },
    });
    const committedAt = new Date(recordedAt.getTime() + 60_000);
    await updateActionItem(
      tx,
      id,
      1,
      { status: 'committed', committedAt },
      { actorId: ownerId, at: committedAt, change: 'committed' },
    );
    await appendReviewEvent(tx, reviewId, {
      kind: 'action.committed',
      actorId: ownerId,
      at: committedAt,
      data: { actionId: id },
    });
    if (decision.outcome === 'done') {
      const doneAt = new Date(now.getTime() - 2 * DAY);
      await updateActionItem(tx, id, 2, { status: 'done' }, { actorId: ownerId, at: doneAt, change: 'done' });
    }
    const row = (await findActionItem(tx, id))!;
    markDecision(doc, itemId, recordedDecision(row), recordedAt.getTime());
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

  const closedAt = new Date(heldAt.getTime() + 55 * 60_000);
  await appendBoardUpdates(tx, reviewId, [{ update: Y.encodeStateAsUpdate(doc), authorId: null, at: heldAt }]);
  await transitionReview(tx, reviewId, 'live', 'closed', closedAt);
  await appendReviewEvent(tx, reviewId, { kind: 'review.closed', actorId: people.vp, at: closedAt });
  doc.destroy();
  return entries;
}
