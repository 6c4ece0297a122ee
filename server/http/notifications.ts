// A person's notifications (newest first, unread count, mark read) and their private calendar feed: the API
// hands out a feed URL with a secret token (only its hash is kept), and /calendar/<token>.ics serves the feed to
// calendar apps, which cannot send a session cookie.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireUser } from './middleware/require-user.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { renderCalendar } from '../domain/calendar.ts';
import { NOTIFICATION_KINDS, NOTIFICATION_SETTLEMENTS } from '../domain/notifications.ts';
import { notificationPage, unreadCount } from '../services/notification-feed.ts';
import {
  createCalendarTokenIfMissing,
  findCalendarOwner,
  findCalendarToken,
  listOpenItemsOwnedBy,
  markRead,
  setCalendarToken,
} from '../store/notifications.ts';
import type { AppEnv } from './context.ts';
import { notFound, validationHook } from './errors.ts';
import { errors, iso, isoOrNull, jsonBody, jsonResponse } from './route-helpers.ts';
import { uuidOf } from './params.ts';

const tags = ['notifications'];

const NotificationSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    actionItemId: z.uuid().nullable(),
    metricId: z.uuid().nullable().openapi({ description: 'The metric a metric_stale notification is about' }),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
    settled: z
      .enum(NOTIFICATION_SETTLEMENTS)
      .nullable()
      .openapi({
        description:
          'What has since answered it (the owner committed, the item is done or dropped, or it has another owner); ' +
          'a settled notification does not count as unread. Null while it still stands.',
      }),
  })
  .openapi('Notification');

const ListQuery = z.object({
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(100, { message: 'must be at most 100' })
    .default(20),
  before: uuidOf('a notification').optional().openapi({
    description: 'The id of the last notification already shown: the page continues after it',
  }),
});

const ReadSchema = z
  .union([
    z.object({
      ids: z.array(uuidOf('a notification')).min(1).max(500),
    }),
    z.object({ all: z.literal(true) }),
  ])
  .openapi('MarkNotificationsRead', { description: '{ "ids": [...] } or { "all": true }' });

const CalendarSchema = z
  .object({
    url: z.string().nullable().openapi({
      description: 'The feed URL, shown only when it is created (like an API token); null afterwards',
    }),
    createdAt: z.string(),
  })
  .openapi('CalendarFeed');

const routes = {
  list: createRoute({
    method: 'get',
    path: '/me/notifications',
    tags,
    summary: 'My notifications, newest first, with the unread count',
    middleware: [requireUser] as const,
    request: { query: ListQuery },
    responses: {
      200: jsonResponse(
        z.object({
          notifications: z.array(NotificationSchema),
          unread: z.number(),
          nextBefore: z.uuid().nullable(),
        }),
        'A page of notifications',
      ),
      ...errors(400, 401),
    },
  }),
  read: createRoute({
    method: 'post',
    path: '/me/notifications/read',
    tags,
    summary: 'Mark some (ids) or all of my notifications as read',
    middleware: [requireUser] as const,
    request: { body: jsonBody(ReadSchema) },
    responses: {
      200: jsonResponse(z.object({ marked: z.number(), unread: z.number() }), 'Marked'),
      ...errors(400, 401),
    },
  }),
  calendar: createRoute({
    method: 'get',
    path: '/me/calendar',
    tags,
    summary: 'My calendar feed of open action items; creates it (and shows its URL once) on first call',
    middleware: [requireUser] as const,
    responses: { 200: jsonResponse(CalendarSchema, 'The feed'), ...errors(401) },
  }),
  rotate: createRoute({
    method: 'post',
    path: '/me/calendar/rotate',
    tags,
    summary: 'A new feed URL; the previous one stops working at once',
    middleware: [requireUser] as const,
    responses: { 200: jsonResponse(CalendarSchema, 'The new feed'), ...errors(401) },
  }),
};

export function notificationRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const feedUrl = (publicUrl: string, token: string) => `${publicUrl}/calendar/${token}.ics`;

  app.openapi(routes.list, async (c) => {
    const { limit, before } = c.req.valid('query');
    const { sql } = c.var.deps;
    const userId = c.var.user.id;
    const [rows, unread] = await Promise.all([
      notificationPage(sql, userId, { limit, before }),
      unreadCount(sql, userId),
    ]);
    return c.json(
      {
        notifications: rows.map((row) => ({ ...row, createdAt: iso(row.createdAt), readAt: isoOrNull(row.readAt) })),
        unread,
        nextBefore: rows.length === limit ? rows[rows.length - 1]!.id : null,
      },
      200,
    );
  });

  app.openapi(routes.read, async (c) => {
    const input = c.req.valid('json');
    const { sql, now } = c.var.deps;
    const userId = c.var.user.id;
    const marked = await markRead(sql, userId, 'ids' in input ? input.ids : null, now());
    return c.json({ marked, unread: await unreadCount(sql, userId) }, 200);
  });

  app.openapi(routes.calendar, async (c) => {
    const { sql, now, config } = c.var.deps;
    const userId = c.var.user.id;
    const token = generateToken();
    const at = now();
    if (await createCalendarTokenIfMissing(sql, userId, hashToken(token), at))
      return c.json({ url: feedUrl(config.publicUrl, token), createdAt: iso(at) }, 200);
    const existing = (await findCalendarToken(sql, userId))!;
    return c.json({ url: null, createdAt: iso(existing.createdAt) }, 200);
  });

  app.openapi(routes.rotate, async (c) => {
    const { sql, now, config } = c.var.deps;
    const token = generateToken();
    const at = now();
    await setCalendarToken(sql, c.var.user.id, hashToken(token), at);
    return c.json({ url: feedUrl(config.publicUrl, token), createdAt: iso(at) }, 200);
  });

  return app;
}

const feedRoute = createRoute({
  method: 'get',
  path: '/calendar/{file}',
  tags,
  summary: 'A calendar feed (iCalendar): one all-day event per open action item its owner holds',
  security: [],
  request: {
    params: z.object({ file: z.string().openapi({ description: '<token>.ics, from GET /api/me/calendar' }) }),
  },
  responses: {
    200: { description: 'The feed', content: { 'text/calendar': { schema: z.string() } } },
    ...errors(404),
  },
});

/** Mounted at the root, outside /api: the token in the path is the only credential. */
export function calendarFeedRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(feedRoute, async (c) => {
    const { file } = c.req.valid('param');
    const { sql, now, config } = c.var.deps;
    const match = /^([a-z2-7]{16,64})\.ics$/.exec(file);
    const owner = match ? await findCalendarOwner(sql, hashToken(match[1]!)) : undefined;
    // Unknown and revoked tokens look the same as a missing page.
    if (!owner) throw notFound('No such calendar feed');
    const items = await listOpenItemsOwnedBy(sql, owner.userId);
    const text = renderCalendar(
      items.map((item) => ({
        id: item.id,
        title: item.title,
        dueDate: item.dueDate,
        status: item.status,
        organizationName: item.organizationName,
        url: `${config.publicUrl}/actions/${item.id}`,
      })),
      { name: `Lastmile: ${owner.name}'s action items`, now: now() },
    );
    return c.body(text, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, no-cache',
      // The URL is a credential: keep it out of referrers.
      'referrer-policy': 'no-referrer',
    });
  });
  return app;
}
