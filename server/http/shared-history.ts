// The history of a shared review for its replay, under /api/shared/<token>/history: the same shapes as the member
// history API (server/http/history.ts), behind the share link's middleware.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { stateFrom } from '../domain/replay.ts';
import { boardLogSpan, listBoardUpdates, loadBoardAt, seqAtTime } from '../store/board-log.ts';
import { listReviewEventsPage } from '../store/reviews.ts';
import type { AppEnv } from './context.ts';
import { errors, iso, isoOrNull, jsonResponse } from './route-helpers.ts';

const tags = ['shared'];
const TokenParams = z.object({ token: z.string().max(100).openapi({ description: 'The share link token' }) });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const Actor = z.object({ id: z.uuid(), name: z.string() }).nullable();
const count = (max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);
const UpdatesQuery = z.object({
  afterSeq: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(0, { message: 'must not be negative' })
    .default(0),
  limit: count(5_000, 1_000),
});
const EventsQuery = z.object({
  afterId: z
    .string()
    .regex(/^\d{1,18}$/, { message: 'must be an event id' })
    .optional(),
  limit: count(1_000, 500),
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

export function addSharedHistoryRoutes(app: OpenAPIHono<AppEnv>, requireShare: MiddlewareHandler<AppEnv>): void {
  const failures = errors(400, 404, 429);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/history',
      tags,
      summary: 'How long the shared review ran and how much its board log holds',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams },
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
        ...failures,
      },
    }),
    async (c) => {
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
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/history/updates',
      tags,
      summary: 'A page of the shared review’s board update log',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams, query: UpdatesQuery },
      responses: {
        200: jsonResponse(
          z.object({
            updates: z.array(
              z.object({ seq: z.number(), at: z.string(), authorId: z.uuid().nullable(), update: z.string() }),
            ),
            nextAfterSeq: z.number().nullable(),
          }),
          'Updates in sequence order',
        ),
        ...failures,
      },
    }),
    async (c) => {
      const { afterSeq, limit } = c.req.valid('query');
      const rows = await listBoardUpdates(c.var.deps.sql, c.var.review.id, { afterSeq, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return c.json(
        {
          updates: page.map((row) => ({
            seq: row.seq,
            at: iso(row.at),
            authorId: row.authorId,
            update: base64(row.update),
          })),
          nextAfterSeq: rows.length > limit ? page.at(-1)!.seq : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/history/events',
      tags,
      summary: 'A page of the shared review’s event log',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams, query: EventsQuery },
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
        ...failures,
      },
    }),
    async (c) => {
      const { afterId, limit } = c.req.valid('query');
      const rows = await listReviewEventsPage(c.var.deps.sql, c.var.review.id, { afterId, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return c.json(
        {
          events: page.map((row) => ({ ...row, at: iso(row.at) })),
          nextAfterId: rows.length > limit ? page.at(-1)!.id : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/history/board',
      tags,
      summary: 'The shared review’s board at a moment, as one Yjs update (base64)',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams, query: BoardQuery },
      responses: { 200: jsonResponse(z.object({ seq: z.number(), state: z.string() }), 'The board then'), ...failures },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { sql } = c.var.deps;
      const reviewId = c.var.review.id;
      const seq = query.seq ?? (await seqAtTime(sql, reviewId, new Date(query.at!)));
      const { base, updates } = await loadBoardAt(sql, reviewId, seq);
      return c.json({ seq, state: base64(stateFrom(base, updates)) }, 200);
    },
  );
}
