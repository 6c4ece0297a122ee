// What a read-only share link opens, without a session: one closed review's minutes (JSON and Markdown), its
// action items as CSV, and its history for the replay (the same shapes as the member history API). The token in
// the path is the only credential and grants nothing else. A wrong, expired or revoked token gets the same 404,
// and an address that keeps guessing is slowed down (429).
import { getConnInfo } from '@hono/node-server/conninfo';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createThrottle } from '../auth/throttle.ts';
import { hashToken } from '../auth/tokens.ts';
import { renderMinutesMarkdown } from '../domain/minutes-markdown.ts';
import { stateFrom } from '../domain/replay.ts';
import { composeMinutes } from '../minutes/compose.ts';
import { listOrganizationActions } from '../store/action-lists.ts';
import { boardLogSpan, listBoardUpdates, loadBoardAt, seqAtTime } from '../store/board-log.ts';
import { findReview, listReviewEventsPage } from '../store/reviews.ts';
import { useShare } from '../store/shares.ts';
import type { AppEnv } from './context.ts';
import { ApiError, notFound, validationHook } from './errors.ts';
import { MARKDOWN_RESPONSE, MinutesSchema, minutesFileName } from './minutes-schemas.ts';
import { errors, iso, isoOrNull, jsonResponse } from './route-helpers.ts';

const tags = ['shared'];
/** Tokens are 32 base32 characters (160 bits, see auth/tokens.ts). */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;
const NOT_SHARED = 'This share link does not work: it may be mistyped, expired or revoked';
/** Failed lookups per address and window before 429. */
const GUESSES = { maxAttempts: 30, windowMs: 10 * 60_000 };

const TokenParams = z.object({ token: z.string().max(100).openapi({ description: 'The share link token' }) });

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const replayPathOf = (token: string) => `/shared/${token}/replay`;

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

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

export function sharedRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Per app, not per module: two servers in one process keep their own counts.
  const guesses = createThrottle(GUESSES);
  /** When the share link of a request expires (for the page to say so). */
  const expiries = new WeakMap<Request, Date>();

  /** The review the token opens, or the one 404 for every way a token can fail. */
  const requireShare = createMiddleware<AppEnv>(async (c, next) => {
    const ip = clientIp(c);
    const wait = guesses.retryAfter(ip);
    if (wait > 0)
      throw new ApiError(429, 'Too many attempts with share links. Try again later.', [], {
        'retry-after': String(wait),
      });
    const token = c.req.param('token') ?? '';
    const { sql, now } = c.var.deps;
    const share = TOKEN_SHAPE.test(token) ? await useShare(sql, hashToken(token), now()) : undefined;
    const review = share ? await findReview(sql, share.reviewId) : undefined;
    if (!share || !review) {
      guesses.recordFailure(ip);
      throw notFound(NOT_SHARED);
    }
    c.set('review', review);
    c.set('organizationId', review.organizationId);
    expiries.set(c.req.raw, share.expiresAt);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    await next();
  });
  const failures = errors(400, 404, 429);

  const minutesOf = async (c: Context<AppEnv>) =>
    composeMinutes(c.var.deps.sql, c.var.review, {
      now: c.var.deps.now(),
      replayPath: replayPathOf(c.req.param('token')!),
    });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}',
      tags,
      summary: 'A shared review: its title, dates, minutes and the names of the people it mentions',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams },
      responses: {
        200: jsonResponse(
          z.object({
            review: z.object({
              id: z.uuid(),
              title: z.string(),
              series: z.string().nullable(),
              scheduledAt: z.string(),
              startedAt: z.string().nullable(),
              closedAt: z.string().nullable(),
            }),
            expiresAt: z.string(),
            minutes: MinutesSchema,
            people: z.array(z.object({ id: z.string(), name: z.string() })),
          }),
          'The shared review',
        ),
        ...failures,
      },
    }),
    async (c) => {
      const review = c.var.review;
      const { minutes, names } = await minutesOf(c);
      return c.json(
        {
          review: {
            id: review.id,
            title: review.title,
            series: review.series?.title ?? null,
            scheduledAt: iso(review.scheduledAt),
            startedAt: isoOrNull(review.startedAt),
            closedAt: isoOrNull(review.closedAt),
          },
          expiresAt: iso(expiries.get(c.req.raw) ?? c.var.deps.now()),
          minutes,
          people: Object.entries(names).map(([id, name]) => ({ id, name })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/minutes.md',
      tags,
      summary: 'The shared review’s minutes as a Markdown file',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams },
      responses: { 200: MARKDOWN_RESPONSE, ...failures },
    }),
    async (c) => {
      const { minutes } = await minutesOf(c);
      c.header('content-type', 'text/markdown; charset=utf-8');
      c.header(
        'content-disposition',
        `attachment; filename="${minutesFileName(minutes.review.title, minutes.review.startedAt)}"`,
      );
      return c.body(renderMinutesMarkdown(minutes, { origin: c.var.deps.config.publicUrl }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shared/{token}/actions.csv',
      tags,
      summary: 'The shared review’s action items as a CSV file',
      security: [],
      middleware: [requireShare] as const,
      request: { params: TokenParams },
      responses: {
        200: { description: 'RFC 4180 CSV with a header row', content: { 'text/csv': { schema: z.string() } } },
        ...failures,
      },
    }),
    async (c) => {
      const review = c.var.review;
      const now = c.var.deps.now();
      const { rows } = await listOrganizationActions(
        c.var.deps.sql,
        review.organizationId,
        { reviewId: review.id },
        { now, sort: 'due', limit: 10_000, offset: 0 },
      );
      const body = stringify(
        rows.map((row) => ({
          title: row.title,
          status: row.status,
          owner: row.owner.name,
          dueDate: row.dueDate,
          committedAt: isoOrNull(row.committedAt) ?? '',
          dropReason: row.dropReason ?? '',
          initiative: row.initiativeTitle ?? '',
          metric: row.metricName ?? '',
          id: row.id,
        })),
        {
          header: true,
          columns: [
            { key: 'title', header: 'Title' },
            { key: 'status', header: 'Status' },
            { key: 'owner', header: 'Owner' },
            { key: 'dueDate', header: 'Due date' },
            { key: 'committedAt', header: 'Committed at (UTC)' },
            { key: 'dropReason', header: 'Drop reason' },
            { key: 'initiative', header: 'Initiative' },
            { key: 'metric', header: 'Metric' },
            { key: 'id', header: 'Id' },
          ],
          record_delimiter: 'windows',
          bom: true,
          // A cell a spreadsheet would run as a formula becomes text.
          cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
        },
      );
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header(
        'content-disposition',
        `attachment; filename="${minutesFileName(review.title, null)
          .replace(/^minutes-/, 'actions-')
          .replace(/\.md$/, '.csv')}"`,
      );
      return c.body(body, 200);
    },
  );

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

  return app;
}
