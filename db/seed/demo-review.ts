// The demo's current weekly review: live now (scheduled for the hour), everything in scope, the VP facilitating.
// Its agenda is generated like any new review's, so the off-track fuel savings come first; last week's review
// of the series left commitments, which this week's commitments check lists.
import * as Y from 'yjs';
import type { Db } from '../../server/db/connect.ts';
import { addCommitmentsCheck, generateAgenda, initializeBoard } from '../../server/domain/board.ts';
import { appendBoardUpdates } from '../../server/store/board-log.ts';
import { appendReviewEvent } from '../../server/store/review-events.ts';
import { insertReview, transitionReview } from '../../server/store/reviews.ts';
import { seedLastWeeksReview } from './demo-actions.ts';
import type { DemoPeople, DemoScope } from './demo-portfolio.ts';

export const DEMO_SERIES = 'Weekly ops review';

export async function seedDemoReview(
  tx: Db,
  organizationId: string,
  people: DemoPeople,
  scope: DemoScope,
  now: Date,
): Promise<string> {
  const commitments = await seedLastWeeksReview(tx, organizationId, DEMO_SERIES, people, scope, now);
  const scheduledAt = new Date(now);
  scheduledAt.setUTCMinutes(0, 0, 0);
  const id = crypto.randomUUID();
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    generateAgenda(scope, () => crypto.randomUUID()),
    { facilitatorId: people.vp },
  );
  addCommitmentsCheck(doc, commitments, crypto.randomUUID());
  await insertReview(tx, organizationId, {
    id,
    title: `${DEMO_SERIES}, ${scheduledAt.toISOString().slice(0, 10)}`,
    seriesTitle: DEMO_SERIES,
    scheduledAt,
    metricIds: scope.metrics.map((m) => m.id),
    initiativeIds: scope.initiatives.map((i) => i.id),
    createdBy: people.vp,
    participants: [{ userId: people.vp, role: 'facilitator' }],
  });
  await appendBoardUpdates(tx, id, [{ update: Y.encodeStateAsUpdate(doc), authorId: null, at: now }]);
  await appendReviewEvent(tx, id, { kind: 'review.scheduled', actorId: people.vp, at: now });
  // The review is under way, so a newcomer walks into a live room (start-up runs its triage next).
  await transitionReview(tx, id, 'scheduled', 'live', now);
  await appendReviewEvent(tx, id, { kind: 'review.started', actorId: people.vp, at: now });
  await appendReviewEvent(tx, id, {
    kind: 'commitments.listed',
    actorId: null,
    at: now,
    data: { actionIds: commitments.map((entry) => entry.id) },
  });
  doc.destroy();
  return id;
}
