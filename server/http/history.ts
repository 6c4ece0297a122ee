// A review's history for replay: its board update log (with times and authors), its event log, the board as it
// was at any moment (rebuilt on the server from the nearest snapshot and the updates after it), and what the replay
// page opens with in one answer. Members of the review's organization only.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import {
  BoardQuery,
  BoardResponse,
  boardAt,
  EventsQuery,
  EventsResponse,
  eventsPage,
  historySummary,
  OpeningQuery,
  OpeningResponse,
  replayOpening,
  SummaryResponse,
  UpdatesQuery,
  UpdatesResponse,
  updatesPage,
} from './history-api.ts';
import { requireReviewMember } from './middleware/require-review-member.ts';
import { errors, jsonResponse } from './route-helpers.ts';
import { ReviewParams } from './params.ts';

const tags = ['history'];

const routes = {
  summary: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history',
    tags,
    summary: 'How long the review ran and how much its board log holds',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams },
    responses: {
      200: jsonResponse(SummaryResponse, 'The summary'),
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
      200: jsonResponse(UpdatesResponse, 'Updates in sequence order'),
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
      200: jsonResponse(EventsResponse, 'Events in the order they were logged'),
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
      200: jsonResponse(BoardResponse, 'The board then'),
      ...errors(400, 401, 403, 404),
    },
  }),
  opening: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/history/opening',
    tags,
    summary: 'What the replay opens with: summary, first events, member names and the board read at that moment',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams, query: OpeningQuery },
    responses: {
      200: jsonResponse(OpeningResponse, 'The opening'),
      ...errors(400, 401, 403, 404),
    },
  }),
};

export function historyRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.summary, async (c) => c.json(await historySummary(c.var.deps.sql, c.var.review), 200));
  app.openapi(routes.updates, async (c) =>
    c.json(await updatesPage(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
  );
  app.openapi(routes.events, async (c) =>
    c.json(await eventsPage(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
  );
  app.openapi(routes.board, async (c) =>
    c.json(await boardAt(c.var.deps.sql, c.var.review.id, c.req.valid('query')), 200),
  );
  app.openapi(routes.opening, async (c) =>
    c.json(await replayOpening(c.var.deps.sql, c.var.review, c.req.valid('query')), 200),
  );
  return app;
}
