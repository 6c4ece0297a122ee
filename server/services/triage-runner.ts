// Runs the triage planner against live boards: when a review goes live, and whenever a reading changes a metric
// in a live review's scope. The server edits the board itself (author null in the update log), live if the room
// is loaded and otherwise on the stored board, and writes each pivot and recovery to the review's event log.
import type { Sql } from '../db/connect.ts';
import { readAgenda, readRoom } from '../domain/board.ts';
import type { TriageInfo } from '../domain/triage-info.ts';
import { applyTriage, dismissPivot, planTriage, type TriageEdit } from '../domain/triage.ts';
import type { EventBus } from '../domain/events.ts';
import type { BackgroundWork } from '../background.ts';
import type { Logger } from '../logger.ts';
import { listDependencies } from '../store/dependencies.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { findReview, liveReviewsWithMetric, type ReviewRow } from '../store/reviews.ts';
import type { Rooms } from '../sync/rooms.ts';
import { assessMetrics } from './metric-assessments.ts';

export interface TriageRunnerDeps {
  sql: Sql;
  rooms: Rooms;
  events: EventBus;
  logger: Logger;
  background: BackgroundWork;
  now: () => Date;
}

export interface TriageRunner {
  /** Plans and applies triage on a live review's board; resolves with what it changed. */
  run(reviewId: string): Promise<TriageEdit[]>;
  /** A facilitator sets a pivot aside; null when the item has no open pivot. */
  dismiss(reviewId: string, itemId: string, userId: string): Promise<TriageInfo | null>;
  /** Stops listening to metric events. */
  stop(): void;
}

/** The facts the planner needs about one review, read from the database. */
async function factsFor(deps: TriageRunnerDeps, review: ReviewRow) {
  const [metricRows, initiativeRows, dependencies] = await Promise.all([
    listMetrics(deps.sql, review.organizationId),
    listInitiatives(deps.sql, review.organizationId),
    listDependencies(deps.sql, review.organizationId),
  ]);
  const inScope = new Set(review.metricIds);
  const metrics = await assessMetrics(
    deps.sql,
    metricRows.filter((row) => inScope.has(row.id)),
    deps.now(),
  );
  return {
    metrics: metrics.map(({ row, assessment }) => ({
      id: row.id,
      name: row.name,
      // The slip threshold decides, not an owner's override: that is what a pivot is about.
      status: assessment.status,
      slip: assessment.slip,
      threshold: row.slipThreshold,
      latest: assessment.latest && { at: assessment.latest.at.toISOString(), value: assessment.latest.value },
      trend: assessment.trend,
      initiativeIds: row.initiativeIds,
    })),
    initiatives: initiativeRows.map((row) => ({
      id: row.id,
      title: row.title,
      owner: row.owner.name,
      team: row.team,
      unrealizedValue: row.plannedValue === null ? 0 : Math.max(0, row.plannedValue - (row.realizedValue ?? 0)),
      currency: row.currency,
    })),
    edges: dependencies,
  };
}

export function createTriageRunner(deps: TriageRunnerDeps): TriageRunner {
  // One run at a time per review, so two readings arriving together are planned one after the other.
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(reviewId: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(reviewId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => {});
    queues.set(reviewId, settled);
    void settled.then(() => {
      if (queues.get(reviewId) === settled) queues.delete(reviewId);
    });
    return next;
  }

  async function runNow(reviewId: string): Promise<TriageEdit[]> {
    const review = await findReview(deps.sql, reviewId);
    if (!review || review.status !== 'live') return [];
    const facts = await factsFor(deps, review);
    const at = deps.now();
    let applied: TriageEdit[] = [];
    await deps.rooms.edit(reviewId, (doc) => {
      applied = planTriage({ agenda: readAgenda(doc), room: readRoom(doc), ...facts, nowMs: at.getTime() });
      applyTriage(doc, applied, () => crypto.randomUUID());
    });
    for (const edit of applied) {
      if (edit.kind === 'refresh') continue;
      await appendReviewEvent(deps.sql, reviewId, {
        kind: edit.kind === 'pivot' ? 'triage.pivoted' : 'triage.recovered',
        actorId: null,
        at,
        data: {
          metricId: edit.info.metricId,
          itemId: edit.itemId,
          why: edit.info.why,
          ...(edit.kind === 'recover' ? { current: edit.info.current ?? null } : {}),
          slip: edit.info.slip,
          moneyAtRisk: edit.info.moneyAtRisk,
          impact: edit.info.impact.map((entry) => entry.initiativeId),
        },
      });
      if (edit.kind === 'pivot')
        deps.events.publish({
          type: 'triage.pivoted',
          organizationId: review.organizationId,
          reviewId,
          itemId: edit.itemId,
          metricId: edit.info.metricId,
          why: edit.info.why,
          slip: edit.info.slip,
          at: at.toISOString(),
        });
    }
    if (applied.length)
      deps.logger.info('triage applied', {
        reviewId,
        edits: applied.map((edit) => `${edit.kind}:${edit.info.metricId}`),
      });
    return applied;
  }

  const run = (reviewId: string) => serialized(reviewId, () => runNow(reviewId));

  // metric.updated comes with every reading (crossings add slipped/recovered): one run per reading is enough.
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type !== 'metric.updated') return;
    deps.background.run(
      'triage run failed',
      async () => {
        for (const reviewId of await liveReviewsWithMetric(deps.sql, event.metricId)) await run(reviewId);
      },
      { metricId: event.metricId, event: event.type },
    );
  });

  return {
    run,
    dismiss: (reviewId, itemId, userId) =>
      serialized(reviewId, async () => {
        const at = deps.now();
        let dismissed: TriageInfo | null = null;
        await deps.rooms.edit(reviewId, (doc) => {
          dismissed = dismissPivot(doc, itemId, userId, at.getTime());
        });
        const info = dismissed as TriageInfo | null;
        if (info)
          await appendReviewEvent(deps.sql, reviewId, {
            kind: 'triage.dismissed',
            actorId: userId,
            at,
            data: { metricId: info.metricId, itemId },
          });
        return info;
      }),
    stop: unsubscribe,
  };
}
