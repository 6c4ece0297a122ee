// The shapes and answers of a review's history (summary, update log, event log, board at a moment, and what the
// replay page opens with), shared by the members' API (history.ts) and share links (shared-history.ts), which
// differ only in who may ask.
import { z } from '@hono/zod-openapi';
import type { Db } from '../db/connect.ts';
import { openingMoment, replaySpan, stateFrom, viewsFrom } from '../domain/replay.ts';
import { boardLogSpan, listBoardUpdates, loadBoardAt, seqAtTime } from '../store/board-log.ts';
import { listMembers } from '../store/organizations.ts';
import { listReviewEventsPage } from '../store/review-events.ts';
import type { ReviewRow } from '../store/reviews.ts';
import { iso, isoOrNull } from './route-helpers.ts';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

export const UpdatesQuery = z.object({
  afterSeq: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must not be negative' })
    .default(0),
  limit: limit(5_000, 1_000),
});

export const EventsQuery = z.object({
  afterId: z
    .string()
    .regex(/^\d{1,18}$/, { message: 'must be an event id' })
    .optional(),
  limit: limit(1_000, 500),
});

export const BoardQuery = z
  .object({
    at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    seq: z.coerce.number().int().min(0, { message: 'must not be negative' }).optional(),
  })
  .refine((query) => query.at !== undefined || query.seq !== undefined, {
    message: 'give a moment (at) or an update number (seq)',
    path: ['at'],
  });

export const SummaryResponse = z.object({
  review: z.object({
    id: z.uuid(),
    organizationId: z.uuid(),
    title: z.string(),
    status: z.string(),
    startedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  }),
  log: z.object({ updates: z.number(), firstAt: z.string().nullable(), lastAt: z.string().nullable() }),
});

export const UpdatesResponse = z.object({
  updates: z.array(z.object({ seq: z.number(), at: z.string(), authorId: z.uuid().nullable(), update: z.string() })),
  nextAfterSeq: z.number().nullable().openapi({ description: 'Pass as afterSeq for the next page' }),
});

export const EventsResponse = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      at: z.string(),
      actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  nextAfterId: z.string().nullable(),
});

export const BoardResponse = z.object({ seq: z.number(), state: z.string() });

export const OpeningQuery = z.object({
  at: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .optional()
    .openapi({ description: 'The moment to open at (epoch ms), as `?at=` of the replay page; else the start' }),
});

export const OPENING_EVENTS = 1_000;

export const OpeningResponse = z.object({
  summary: SummaryResponse,
  events: EventsResponse.openapi({ description: 'The first page of the event log' }),
  people: z.array(z.object({ id: z.uuid(), name: z.string() })),
  board: z
    .object({
      at: z.number().openapi({ description: 'The moment shown (epoch ms): `at` inside the review, or its start' }),
      seq: z.number(),
      agenda: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'AgendaItemView[] (board-schema.ts)' }),
      room: z.record(z.string(), z.unknown()).openapi({ description: 'RoomView (board-schema.ts)' }),
    })
    .nullable()
    .openapi({ description: 'The board at that moment, read; null when there is nothing to replay' }),
});

export async function historySummary(sql: Db, review: ReviewRow): Promise<z.infer<typeof SummaryResponse>> {
  const span = await boardLogSpan(sql, review.id);
  return {
    review: {
      id: review.id,
      organizationId: review.organizationId,
      title: review.title,
      status: review.status,
      startedAt: isoOrNull(review.startedAt),
      closedAt: isoOrNull(review.closedAt),
    },
    log: { updates: span.count, firstAt: isoOrNull(span.firstAt), lastAt: isoOrNull(span.lastAt) },
  };
}

export async function updatesPage(
  sql: Db,
  reviewId: string,
  query: z.infer<typeof UpdatesQuery>,
): Promise<z.infer<typeof UpdatesResponse>> {
  const rows = await listBoardUpdates(sql, reviewId, { afterSeq: query.afterSeq, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    updates: page.map((row) => ({ seq: row.seq, at: iso(row.at), authorId: row.authorId, update: base64(row.update) })),
    nextAfterSeq: rows.length > query.limit ? page.at(-1)!.seq : null,
  };
}

export async function eventsPage(
  sql: Db,
  reviewId: string,
  query: z.infer<typeof EventsQuery>,
): Promise<z.infer<typeof EventsResponse>> {
  const rows = await listReviewEventsPage(sql, reviewId, { afterId: query.afterId, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((row) => ({ ...row, at: iso(row.at) })),
    nextAfterId: rows.length > query.limit ? page.at(-1)!.id : null,
  };
}

/** The board after update `seq`, or as it was at `at`, rebuilt from the nearest snapshot. */
export async function boardAt(
  sql: Db,
  reviewId: string,
  query: z.infer<typeof BoardQuery>,
): Promise<z.infer<typeof BoardResponse>> {
  const seq = query.seq ?? (await seqAtTime(sql, reviewId, new Date(query.at!)));
  const { base, updates } = await loadBoardAt(sql, reviewId, seq);
  return { seq, state: base64(stateFrom(base, updates)) };
}

/**
 * What the replay page needs before its first frame, in one answer: the summary, the first page of events, the
 * names of the organization's members, and the board at the moment it opens at as the views it renders (no Yjs
 * in the page, no wait for the worker).
 */
export async function replayOpening(
  sql: Db,
  review: ReviewRow,
  query: z.infer<typeof OpeningQuery>,
): Promise<z.infer<typeof OpeningResponse>> {
  const [summary, events, members] = await Promise.all([
    historySummary(sql, review),
    eventsPage(sql, review.id, { limit: OPENING_EVENTS }),
    listMembers(sql, review.organizationId),
  ]);
  const people = members.map((member) => ({ id: member.userId, name: member.name }));
  const span = replaySpan(summary.review, summary.log);
  if (!span || summary.log.updates === 0 || review.status === 'scheduled')
    return { summary, events, people, board: null };
  const at = openingMoment(query.at ?? null, span);
  const seq = await seqAtTime(sql, review.id, new Date(at));
  const { base, updates } = await loadBoardAt(sql, review.id, seq);
  const { agenda, room } = viewsFrom(base, updates);
  return {
    summary,
    events,
    people,
    board: { at, seq, agenda: agenda as unknown as Record<string, unknown>[], room: { ...room } },
  };
}
