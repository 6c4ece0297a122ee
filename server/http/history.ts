// A review's history for replay: its board update log (with times and authors), its event log, and the board as
// it was at any moment (rebuilt on the server from the nearest snapshot and the updates after it). Members of the
// review's organization only.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stateFrom } from '../domain/replay.ts';
import { boardLogSpan, listBoardUpdates, loadBoardAt, seqAtTime } from '../store/board-log.ts';
import { listReviewEventsPage } from '../store/reviews.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { ReviewParams } from './review-schemas.ts';
import { requireReviewMember } from './reviews.ts';
import { errors, iso, isoOrNull, jsonResponse } from './route-helpers.ts';

const tags = ['history'];
const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

const UpdatesQuery = z.object({
  afterSeq: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must not be negative' })
    .default(0),
  limit: limit(5_000, 1_000),
});

const EventsQuery = z.object({
  afterId: z
    .string()
    .regex(/^\d{1,18}$/, { message: 'must be an event id' })
    .optional(),
  limit: limit(1_000, 500),
});

const BoardQuery = z
  .object({
    at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    seq: z.coerce.number().int().min(0, { message: 'must not be negative' }).optional(),
  })
  .refine((query) => query.at !== undefined || query.seq !== undefined, {
    message: 'give a moment (at) or an update number (seq)',
    path: ['at'],
  });

const Actor = z.object({ id: z.uuid(), name: z.string() }).nullable();

const routes = {
  summary: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history',
    tags,
    summary: 'How long the review ran and how much its board log holds',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams },
    responses: {
      200: jsonResponse(
        z.object({
          review: z.object({
            id: z.uuid(),
            organizationId: z.uuid(),
            title: z.string(),
            status: z.string(),
            startedAt: z.string().nullable(),
            closedAt: z.string().nullable(),
          }),
          log: z.object({ updates: z.number(), firstAt: z.string().nullable(), lastAt: z.string().nullable() }),
        }),
        'The summary',
      ),
      ...errors(400, 401, 403, 404),
    },
  }),
  updates: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history/updates',
    tags,
    summary: 'A page of the board update log: Yjs updates (base64) with their time and author',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams, query: UpdatesQuery },
    responses: {
      200: jsonResponse(
        z.object({
          updates: z.array(
            z.object({ seq: z.number(), at: z.string(), authorId: z.uuid().nullable(), update: z.string() }),
          ),
          nextAfterSeq: z.number().nullable().openapi({ description: 'Pass as afterSeq for the next page' }),
        }),
        'Updates in sequence order',
      ),
      ...errors(400, 401, 403, 404),
    },
  }),
  events: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history/events',
    tags,
    summary: 'A page of the event log: joins and leaves, phases, pivots, dismissals, decisions, commitments',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams, query: EventsQuery },
    responses: {
      200: jsonResponse(
        z.object({
          events: z.array(
            z.object({
              id: z.string(),
              kind: z.string(),
              at: z.string(),
              actor: Actor,
              data: z.record(z.string(), z.unknown()),
            }),
          ),
          nextAfterId: z.string().nullable(),
        }),
        'Events in the order they were logged',
      ),
      ...errors(400, 401, 403, 404),
    },
  }),
  board: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history/board',
    tags,
    summary: 'The board as it was at a moment (or after an update number), as one Yjs update (base64)',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams, query: BoardQuery },
    responses: {
      200: jsonResponse(z.object({ seq: z.number(), state: z.string() }), 'The board then'),
      ...errors(400, 401, 403, 404),
    },
  }),
};

export function historyRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.summary, async (c) => {
    const review = c.var.review;
    const span = await boardLogSpan(c.var.deps.sql, review.id);
    return c.json(
      {
        review: {
          id: review.id,
          organizationId: review.organizationId,
          title: review.title,
          status: review.status,
          startedAt: isoOrNull(review.startedAt),
          closedAt: isoOrNull(review.closedAt),
        },
        log: { updates: span.count, firstAt: isoOrNull(span.firstAt), lastAt: isoOrNull(span.lastAt) },
      },
      200,
    );
  });

  app.openapi(routes.updates, async (c) => {
    const { afterSeq, limit: pageSize } = c.req.valid('query');
    const rows = await listBoardUpdates(c.var.deps.sql, c.var.review.id, { afterSeq, limit: pageSize + 1 });
    const page = rows.slice(0, pageSize);
    return c.json(
      {
        updates: page.map((row) => ({
          seq: row.seq,
          at: iso(row.at),
          authorId: row.authorId,
          update: base64(row.update),
        })),
        nextAfterSeq: rows.length > pageSize ? page.at(-1)!.seq : null,
      },
      200,
    );
  });

  app.openapi(routes.events, async (c) => {
    const { afterId, limit: pageSize } = c.req.valid('query');
    const rows = await listReviewEventsPage(c.var.deps.sql, c.var.review.id, { afterId, limit: pageSize + 1 });
    const page = rows.slice(0, pageSize);
    return c.json(
      {
        events: page.map((row) => ({ ...row, at: iso(row.at) })),
        nextAfterId: rows.length > pageSize ? page.at(-1)!.id : null,
      },
      200,
    );
  });

  app.openapi(routes.board, async (c) => {
    const query = c.req.valid('query');
    const { sql } = c.var.deps;
    const reviewId = c.var.review.id;
    const seq = query.seq ?? (await seqAtTime(sql, reviewId, new Date(query.at!)));
    const { base, updates } = await loadBoardAt(sql, reviewId, seq);
    return c.json({ seq, state: base64(stateFrom(base, updates)) }, 200);
  });

  return app;
}
