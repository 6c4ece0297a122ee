// What a read-only share link opens, without a session: one closed review's minutes (JSON and Markdown), its
// action items as CSV, and its history for the replay (the same shapes as the member history API). The token in
// the path is the only credential and grants nothing else. A wrong, expired or revoked token gets the same 404,
// and an address that keeps guessing is slowed down (429).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import { defuseCsvCell } from '../domain/csv-cells.ts';
import type { Context } from 'hono';
import { renderMinutesMarkdown } from '../domain/minutes-markdown.ts';
import { composeMinutes } from '../services/minutes.ts';
import { listOrganizationActions } from '../store/action-lists.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { createShareGuard, type ShareEnv } from './middleware/require-share.ts';
import { MARKDOWN_RESPONSE, MinutesSchema, minutesFileName } from './minutes-schemas.ts';
import { addSharedHistoryRoutes } from './shared-history.ts';
import { errors, iso, isoOrNull, jsonResponse } from './route-helpers.ts';

const tags = ['shared'];
const TokenParams = z.object({ token: z.string().max(100).openapi({ description: 'The share link token' }) });

const replayPathOf = (token: string) => `/shared/${token}/replay`;

export function sharedRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { requireShare, expiryOf } = createShareGuard();
  const failures = errors(400, 404, 429);

  const minutesOf = async (c: Context<ShareEnv>) =>
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
          expiresAt: iso(expiryOf(c.req.raw) ?? c.var.deps.now()),
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
          cast: { string: defuseCsvCell },
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

  addSharedHistoryRoutes(app, requireShare);

  return app;
}
