// The history of a shared review for its replay, under /api/shared/<token>/history: the same shapes and answers
// as the member history API (server/http/history-api.ts), behind the share link's middleware.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import type { ShareEnv } from './middleware/require-share.ts';
import {
  BoardQuery,
  BoardResponse,
  boardAt,
  EventsQuery,
  EventsResponse,
  eventsPage,
  historySummary,
  SummaryResponse,
  UpdatesQuery,
  UpdatesResponse,
  updatesPage,
} from './history-api.ts';
import { errors, jsonResponse } from './route-helpers.ts';

const tags = ['shared'];
const TokenParams = z.object({ token: z.string().max(100).openapi({ description: 'The share link token' }) });

export function addSharedHistoryRoutes(app: OpenAPIHono<AppEnv>, requireShare: MiddlewareHandler<ShareEnv>): void {
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
        200: jsonResponse(SummaryResponse, 'The summary'),
        ...failures,
      },
    }),
    async (c) => c.json(await historySummary(c.var.deps.sql, c.var.review), 200),
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
        200: jsonResponse(UpdatesResponse, 'Updates in sequence order'),
        ...failures,
      },
    }),
    async (c) => c.json(await updatesPage(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
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
        200: jsonResponse(EventsResponse, 'Events in the order they were logged'),
        ...failures,
      },
    }),
    async (c) => c.json(await eventsPage(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
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
      responses: { 200: jsonResponse(BoardResponse, 'The board then'), ...failures },
    }),
    async (c) => c.json(await boardAt(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
  );
}
