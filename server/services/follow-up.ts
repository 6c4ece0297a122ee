// What happens to action items after the room recorded them: their state mirrored on the boards that show them,
// verification by the linked metric's readings, and the commitments check of the series' next review.
import type { BackgroundWork } from '../background.ts';
import type { Sql } from '../db/connect.ts';
import { calendarDate, isOverdue } from '../domain/action-items.ts';
import {
  addCommitmentsCheck,
  markDecision,
  updateCommitment,
  type CommitmentEntry,
  type RecordedDecision,
} from '../domain/board.ts';
import type { EventBus } from '../domain/events.ts';
import { errorFields, type Logger } from '../logger.ts';
import {
  expireVerifications,
  findActionItem,
  followUpsOfSeries,
  verifyByReading,
  type ActionItemRow,
} from '../store/action-items.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { liveReviewsInSeriesOf, previousStartInSeries, type ReviewRow } from '../store/reviews.ts';
import type { Rooms } from '../sync/rooms.ts';

export interface FollowUpDeps {
  sql: Sql;
  rooms: Rooms;
  events: EventBus;
  logger: Logger;
  background: BackgroundWork;
  now: () => Date;
}

export interface ActionFollowUp {
  /** Shows the item's current state on the board it was decided on and on live commitments checks. */
  mirror(row: ActionItemRow): Promise<void>;
  /** Adds the commitments check to a review that just went live (once); resolves with how many it lists. */
  addCommitmentsCheck(review: ReviewRow): Promise<number | null>;
  /** Marks expected effects whose date passed as not verified; resolves with the ids. */
  expire(): Promise<string[]>;
  stop(): void;
}

export function recordedDecision(row: ActionItemRow): RecordedDecision {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.ownerId,
    dueDate: row.dueDate,
    metricId: row.metricId,
    initiativeId: row.initiativeId,
    expectedMaxSlip: row.expectedEffect?.maxSlip ?? null,
    expectedBy: row.expectedEffect?.by ?? null,
    createdBy: row.createdBy ?? '',
    status: row.status,
    proposedDueDate: row.proposedDueDate,
    committedAt: row.committedAt ? row.committedAt.getTime() : null,
    verification: row.verification,
  };
}

function commitmentEntry(row: ActionItemRow, now: Date): Omit<CommitmentEntry, 'reviewTitle' | 'reviewFacilitatorId'> {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.ownerId,
    ownerName: row.owner.name,
    dueDate: row.dueDate,
    status: row.status,
    overdue: isOverdue(row, now),
    verification: row.verification,
  };
}

/** Checks pending expected effects every 10 minutes by default. */
const EXPIRY_INTERVAL_MS = 10 * 60_000;

export function createActionFollowUp(deps: FollowUpDeps, options: { expiryIntervalMs?: number } = {}): ActionFollowUp {
  async function mirror(row: ActionItemRow): Promise<void> {
    const now = deps.now();
    if (row.reviewId && row.itemId) {
      const itemId = row.itemId;
      await deps.rooms.edit(row.reviewId, (doc) => markDecision(doc, itemId, recordedDecision(row), now.getTime()));
    }
    if (!row.reviewId) return;
    for (const reviewId of await liveReviewsInSeriesOf(deps.sql, row.reviewId))
      await deps.rooms.edit(reviewId, (doc) => updateCommitment(doc, commitmentEntry(row, now)));
  }

  async function mirrorIds(ids: string[]): Promise<void> {
    for (const id of ids) {
      const row = await findActionItem(deps.sql, id);
      if (row) await mirror(row);
    }
  }

  async function expire(): Promise<string[]> {
    const now = deps.now();
    const ids = await expireVerifications(deps.sql, calendarDate(now, 'Etc/GMT+12'), now);
    await mirrorIds(ids);
    return ids;
  }

  // A reading that brings the metric within the expected slip, on or before the date, verifies the item.
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type !== 'metric.updated' || event.slip === null) return;
    const at = new Date(event.at);
    const slip = event.slip;
    deps.background.run(
      'verifying action items failed',
      async () =>
        mirrorIds(await verifyByReading(deps.sql, event.metricId, slip, calendarDate(at, 'Etc/GMT+12'), deps.now())),
      { metricId: event.metricId },
    );
  });
  const timer = setInterval(() => {
    expire().catch((error: unknown) => deps.logger.error('expiring verifications failed', errorFields(error)));
  }, options.expiryIntervalMs ?? EXPIRY_INTERVAL_MS);
  timer.unref();

  return {
    mirror,
    expire,
    async addCommitmentsCheck(review) {
      if (!review.series) return null;
      const now = deps.now();
      const since = await previousStartInSeries(deps.sql, review.series.id, review.id);
      const rows = await followUpsOfSeries(deps.sql, review.series.id, review.id, since);
      const entries = rows.map((row) => ({
        ...commitmentEntry(row, now),
        reviewTitle: row.reviewTitle,
        reviewFacilitatorId: row.reviewFacilitatorId,
      }));
      let added = false;
      await deps.rooms.edit(review.id, (doc) => {
        added = addCommitmentsCheck(doc, entries, crypto.randomUUID());
      });
      if (!added) return null;
      await appendReviewEvent(deps.sql, review.id, {
        kind: 'commitments.listed',
        actorId: null,
        at: now,
        data: { actionIds: entries.map((entry) => entry.id) },
      });
      return entries.length;
    },
    stop() {
      unsubscribe();
      clearInterval(timer);
    },
  };
}
