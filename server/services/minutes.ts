// Gathers what the minutes are made of (the board, the event log, the participants, the action items from
// PostgreSQL and the names of the people mentioned), builds them, and at close keeps them, shows them in the room
// and sends them to the organization's webhooks.
import * as Y from 'yjs';
import { readAgenda, readRoom, type AgendaItemView, type RoomView } from '../domain/board.ts';
import { buildMinutes, minutesSummary, type Minutes } from '../domain/minutes.ts';
import { renderMinutesMarkdown } from '../domain/minutes-markdown.ts';
import { markMinutesReady } from '../domain/recap.ts';
import { stateFrom } from '../domain/replay.ts';
import { errorFields } from '../logger.ts';
import type { Config } from '../config.ts';
import type { Db, Sql } from '../db/connect.ts';
import type { EventBus } from '../domain/events.ts';
import type { Logger } from '../logger.ts';
import { loadBoard } from '../store/board-log.ts';
import { findUserNames, listMinutesActions, saveReviewMinutes } from '../store/minutes.ts';
import { listReviewEvents } from '../store/review-events.ts';
import { listParticipants } from '../store/review-participants.ts';
import { findReview, type ReviewRow } from '../store/reviews.ts';
import type { Rooms } from '../sync/rooms.ts';

export interface BoardFacts {
  agenda: AgendaItemView[];
  room: RoomView;
}

/** The board as stored: the latest snapshot and the updates after it. */
export async function loadBoardFacts(sql: Db, reviewId: string): Promise<BoardFacts> {
  const stored = await loadBoard(sql, reviewId);
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    stateFrom(
      stored.snapshot?.state ?? null,
      stored.tail.map((entry) => entry.update),
    ),
  );
  const facts = { agenda: readAgenda(doc), room: readRoom(doc) };
  doc.destroy();
  return facts;
}

export const replayPathOf = (reviewId: string) => `/reviews/${reviewId}/replay`;
export const minutesPathOf = (reviewId: string) => `/reviews/${reviewId}/minutes`;

/** The minutes of a review from its board (as stored unless given) and what PostgreSQL knows now. */
export async function composeMinutes(
  sql: Db,
  review: ReviewRow,
  options: { now: Date; replayPath?: string; board?: BoardFacts },
): Promise<{ minutes: Minutes; names: Record<string, string> }> {
  const board = options.board ?? (await loadBoardFacts(sql, review.id));
  const listed = board.agenda.flatMap((item) => item.commitments.map((entry) => entry.id));
  const [events, participants, actions] = await Promise.all([
    listReviewEvents(sql, review.id),
    listParticipants(sql, review.id),
    listMinutesActions(sql, review.id, listed),
  ]);
  const mentioned = [
    ...events.flatMap((event) => (event.actorId ? [event.actorId] : [])),
    ...board.agenda.flatMap((item) => [
      ...(item.presenterId ? [item.presenterId] : []),
      ...item.decisions.flatMap((decision) => (decision.ownerId ? [decision.ownerId] : [])),
      ...(item.triage?.dismissedBy ? [item.triage.dismissedBy] : []),
    ]),
    ...(board.room.facilitatorId ? [board.room.facilitatorId] : []),
  ];
  const names = await findUserNames(sql, { organizationId: review.organizationId, reviewId: review.id }, [
    ...mentioned,
    ...participants.map((p) => p.userId),
  ]);
  const minutes = buildMinutes({
    review: {
      id: review.id,
      title: review.title,
      series: review.series?.title ?? null,
      scheduledAt: review.scheduledAt.toISOString(),
      startedAt: review.startedAt?.toISOString() ?? null,
      closedAt: review.closedAt?.toISOString() ?? null,
      status: review.status,
    },
    agenda: board.agenda,
    room: board.room,
    events: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      at: event.at.getTime(),
      actorId: event.actorId,
      data: event.data,
    })),
    participants,
    actions,
    names,
    replayPath: options.replayPath ?? replayPathOf(review.id),
    generatedAt: options.now.toISOString(),
  });
  return { minutes, names };
}

/**
 * At close, after the board became read-only: generates the minutes from the final board, keeps them, marks the
 * board so everyone in the room sees them, and publishes them for webhooks (queued, never sent from here). A
 * failure is logged and leaves the close itself alone: the minutes can be generated again on request.
 */
export async function recapAtClose(
  deps: {
    sql: Sql;
    rooms: Rooms;
    now: () => Date;
    logger: Logger;
    events: EventBus;
    config: Pick<Config, 'publicUrl'>;
  },
  review: ReviewRow,
): Promise<void> {
  const { sql, rooms, now, logger, events, config } = deps;
  try {
    let board: BoardFacts | undefined;
    await rooms.edit(review.id, (doc) => {
      board = { agenda: readAgenda(doc), room: readRoom(doc) };
    });
    const closed = (await findReview(sql, review.id)) ?? review;
    const at = now();
    const { minutes } = await composeMinutes(sql, closed, { now: at, board });
    const markdown = renderMinutesMarkdown(minutes, { origin: config.publicUrl });
    await saveReviewMinutes(sql, review.id, minutes, markdown, at);
    await rooms.edit(review.id, (doc) => markMinutesReady(doc, at.getTime(), minutesSummary(minutes)));
    events.publish({
      type: 'review.minutes',
      organizationId: review.organizationId,
      reviewId: review.id,
      title: review.title,
      closedAt: minutes.review.closedAt ?? at.toISOString(),
      url: `${config.publicUrl}${minutesPathOf(review.id)}`,
      markdown,
      decisions: minutes.decisions.map((decision) => ({
        id: decision.id,
        title: decision.title,
        owner: decision.owner?.name ?? null,
        dueDate: decision.dueDate,
        status: decision.status,
      })),
      at: at.toISOString(),
    });
  } catch (error) {
    logger.error('could not generate the minutes at close', { reviewId: review.id, ...errorFields(error) });
  }
}
