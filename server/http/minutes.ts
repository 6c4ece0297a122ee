// A review's minutes for members of its organization (JSON, or a Markdown file), and the read-only share links a
// facilitator hands to stakeholders without an account (created, listed without secrets, revoked).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { renderMinutesMarkdown } from '../domain/minutes-markdown.ts';
import { composeMinutes } from '../services/minutes.ts';
import { insertShare, listShares, revokeShare, type ShareRow } from '../store/shares.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { conflict, notFound, validationHook } from './errors.ts';
import {
  CreateShareSchema,
  MARKDOWN_RESPONSE,
  MinutesSchema,
  minutesFileName,
  ShareSchema,
} from './minutes-schemas.ts';
import { requireReviewMember, requireShareManager, type ReviewEnv } from './middleware/require-review-member.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { ReviewParams, uuidOf } from './params.ts';

const tags = ['minutes'];
const DAY_MS = 86_400_000;

const ShareParams = ReviewParams.extend({ shareId: uuidOf('a share link') });

const routes = {
  minutes: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/minutes',
    tags,
    summary: 'The minutes of a closed review (a draft while it is live)',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams },
    responses: {
      200: jsonResponse(z.object({ minutes: MinutesSchema }), 'The minutes'),
      ...errors(400, 401, 403, 404, 409),
    },
  }),
  markdown: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/minutes.md',
    tags,
    summary: 'The minutes as a Markdown file (a draft while the review is live)',
    middleware: [requireReviewMember] as const,
    request: { params: ReviewParams },
    responses: { 200: MARKDOWN_RESPONSE, ...errors(400, 401, 403, 404, 409) },
  }),
  createShare: createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/shares',
    tags,
    summary: 'Create a read-only share link to a closed review (facilitator or admin); the URL is shown once',
    middleware: [requireReviewMember, requireShareManager] as const,
    request: { params: ReviewParams, body: jsonBody(CreateShareSchema) },
    responses: {
      201: jsonResponse(
        z.object({ share: ShareSchema, url: z.string().openapi({ description: 'Shown only now' }) }),
        'Created',
      ),
      ...errors(400, 401, 403, 404, 409),
    },
  }),
  listShares: createRoute({
    method: 'get',
    path: '/reviews/{reviewId}/shares',
    tags,
    summary: 'Share links of a review, without their secrets (facilitator or admin)',
    middleware: [requireReviewMember, requireShareManager] as const,
    request: { params: ReviewParams },
    responses: {
      200: jsonResponse(z.object({ shares: z.array(ShareSchema) }), 'Share links, newest first'),
      ...errors(400, 401, 403, 404),
    },
  }),
  revokeShare: createRoute({
    method: 'delete',
    path: '/reviews/{reviewId}/shares/{shareId}',
    tags,
    summary: 'Revoke a share link (facilitator or admin); it stops working at once',
    middleware: [requireReviewMember, requireShareManager] as const,
    request: { params: ShareParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
};

export function toShare(row: ShareRow, now: Date) {
  return {
    id: row.id,
    createdAt: iso(row.createdAt),
    createdBy: row.createdBy,
    expiresAt: iso(row.expiresAt),
    revokedAt: isoOrNull(row.revokedAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    state: row.revokedAt ? ('revoked' as const) : row.expiresAt <= now ? ('expired' as const) : ('active' as const),
  };
}

/** Minutes exist once a review has been held: a draft while live, final once closed. */
async function minutesOf(c: VarsOf<ReviewEnv>) {
  const review = c.var.review;
  if (review.status === 'scheduled')
    throw conflict('This review has not started yet: its minutes exist once it has been held');
  return (await composeMinutes(c.var.deps.sql, review, { now: c.var.deps.now() })).minutes;
}

export function minutesRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.minutes, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ minutes: await minutesOf(c) }, 200);
  });

  app.openapi(routes.markdown, async (c) => {
    const minutes = await minutesOf(c);
    const body = renderMinutesMarkdown(minutes, { origin: c.var.deps.config.publicUrl });
    c.header('content-type', 'text/markdown; charset=utf-8');
    c.header(
      'content-disposition',
      `attachment; filename="${minutesFileName(minutes.review.title, minutes.review.startedAt)}"`,
    );
    c.header('cache-control', 'no-store');
    return c.body(body, 200);
  });

  app.openapi(routes.createShare, async (c) => {
    const review = c.var.review;
    if (review.status !== 'closed') throw conflict('Only a closed review can be shared');
    const { expiresInDays } = c.req.valid('json');
    const { sql, now, config } = c.var.deps;
    const at = now();
    const token = generateToken();
    const { id } = await insertShare(sql, {
      reviewId: review.id,
      organizationId: review.organizationId,
      tokenHash: hashToken(token),
      createdBy: c.var.user.id,
      at,
      expiresAt: new Date(at.getTime() + expiresInDays * DAY_MS),
    });
    const row = (await listShares(sql, review.id)).find((share) => share.id === id)!;
    return c.json({ share: toShare(row, at), url: `${config.publicUrl}/shared/${token}` }, 201);
  });

  app.openapi(routes.listShares, async (c) => {
    const now = c.var.deps.now();
    const rows = await listShares(c.var.deps.sql, c.var.review.id);
    return c.json({ shares: rows.map((row) => toShare(row, now)) }, 200);
  });

  app.openapi(routes.revokeShare, async (c) => {
    const { shareId } = c.req.valid('param');
    if (!(await revokeShare(c.var.deps.sql, c.var.review.id, shareId, c.var.deps.now())))
      throw notFound('No such share link for this review');
    return c.body(null, 204);
  });

  return app;
}
