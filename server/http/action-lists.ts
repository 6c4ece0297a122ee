// Lists of action items: an organization's with filters (also as a CSV file for a spreadsheet), and the signed-in
// person's own commitments across their organizations.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import { requireMember } from './middleware/require-member.ts';
import { requireUser } from './middleware/require-user.ts';
import { ACTION_STATUSES, calendarDate } from '../domain/action-items.ts';
import { defuseCsvCell } from '../domain/csv-cells.ts';
import {
  listOrganizationActions,
  listOwnActions,
  overdueCutoff,
  type ActionListFilters,
  type ActionListRow,
} from '../store/action-lists.ts';
import { ActionSchema, toAction } from './action-schemas.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { errors, jsonResponse } from './route-helpers.ts';
import { OrgParams, uuidOf } from './params.ts';

/** At most this many rows in one CSV export. */
const CSV_MAX_ROWS = 10_000;
/** A person's own list is short; this bounds it anyway. */
const MINE_MAX_ROWS = 500;

/** `?status=proposed,committed` or `?status=proposed&status=committed`. */
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part) => part.split(','))
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ACTION_STATUSES, { message: `must be one or more of ${ACTION_STATUSES.join(', ')}` })))
  .optional()
  .openapi({
    type: 'string',
    description: 'One or more of proposed, committed, done, dropped (comma-separated or repeated)',
  });

const FilterQuery = z.object({
  ownerId: uuidOf('a member').optional(),
  status: statusList,
  initiativeId: uuidOf('an initiative').optional(),
  metricId: uuidOf('a metric').optional(),
  reviewId: uuidOf('a review').optional(),
  overdue: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .openapi({ type: 'string', description: 'true: only open items past their due date' }),
  q: z.string().trim().max(200, { message: 'must be at most 200 characters' }).optional(),
  sort: z
    .enum(['urgency', 'due', '-due'], { message: 'must be urgency, due or -due' })
    .default('urgency')
    .openapi({ description: 'urgency (default): overdue first, then by due date; due / -due: by due date' }),
});

const ListQuery = FilterQuery.extend({
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(200, { message: 'must be at most 200' })
    .default(50),
  offset: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be at least 0' })
    .default(0),
});

const MineQuery = z.object({ status: statusList });

const ActionListItemSchema = ActionSchema.extend({
  reviewTitle: z.string().nullable(),
  initiativeTitle: z.string().nullable(),
  metricName: z.string().nullable(),
}).openapi('ActionListItem');

const OwnActionSchema = ActionListItemSchema.extend({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  dueThisWeek: z.boolean().openapi({ description: 'Open, not overdue, and due within the next 7 days' }),
}).openapi('OwnActionItem');

const tags = ['action items'];

const routes = {
  list: createRoute({
    method: 'get',
    path: '/orgs/{orgId}/actions',
    tags,
    summary: "The organization's action items, overdue first, filtered and paged",
    middleware: [requireMember] as const,
    request: { params: OrgParams, query: ListQuery },
    responses: {
      200: jsonResponse(
        z.object({ actions: z.array(ActionListItemSchema), total: z.number().int() }),
        'A page of action items and how many match in all',
      ),
      ...errors(400, 401, 403),
    },
  }),
  csv: createRoute({
    method: 'get',
    path: '/orgs/{orgId}/actions.csv',
    tags,
    summary: "The organization's action items matching the filters, as a CSV file",
    middleware: [requireMember] as const,
    request: { params: OrgParams, query: FilterQuery },
    responses: {
      200: { description: 'RFC 4180 CSV with a header row', content: { 'text/csv': { schema: z.string() } } },
      ...errors(400, 401, 403),
    },
  }),
  mine: createRoute({
    method: 'get',
    path: '/me/actions',
    tags,
    summary: 'What the signed-in person owns across their organizations, overdue first; open ones by default',
    middleware: [requireUser] as const,
    request: { query: MineQuery },
    responses: {
      200: jsonResponse(z.object({ actions: z.array(OwnActionSchema), total: z.number().int() }), 'Your action items'),
      ...errors(400, 401),
    },
  }),
};

function toListItem(row: ActionListRow, now: Date) {
  return {
    ...toAction(row, now),
    reviewTitle: row.reviewTitle,
    initiativeTitle: row.initiativeTitle,
    metricName: row.metricName,
  };
}

/** The last due date counted as "this week": seven days after today where the day ends last. */
function weekEnd(now: Date): string {
  const cutoff = new Date(`${overdueCutoff(now)}T00:00:00Z`);
  return calendarDate(new Date(cutoff.getTime() + 7 * 86_400_000));
}

function filtersOf(query: z.infer<typeof FilterQuery>): ActionListFilters {
  return {
    ownerId: query.ownerId,
    statuses: query.status,
    initiativeId: query.initiativeId,
    metricId: query.metricId,
    reviewId: query.reviewId,
    overdue: query.overdue,
    q: query.q || undefined,
  };
}

const CSV_COLUMNS = [
  { key: 'title', header: 'Title' },
  { key: 'status', header: 'Status' },
  { key: 'owner', header: 'Owner' },
  { key: 'dueDate', header: 'Due date' },
  { key: 'overdue', header: 'Overdue' },
  { key: 'proposedDueDate', header: 'Proposed due date' },
  { key: 'review', header: 'Review' },
  { key: 'initiative', header: 'Initiative' },
  { key: 'metric', header: 'Metric' },
  { key: 'expectedEffect', header: 'Expected effect' },
  { key: 'verification', header: 'Verification' },
  { key: 'dropReason', header: 'Drop reason' },
  { key: 'createdAt', header: 'Recorded at (UTC)' },
  { key: 'committedAt', header: 'Committed at (UTC)' },
  { key: 'id', header: 'Id' },
] as const;

function toCsvRecord(row: ActionListRow, now: Date): Record<(typeof CSV_COLUMNS)[number]['key'], string> {
  const action = toAction(row, now);
  const effect = action.expectedEffect;
  return {
    title: action.title,
    status: action.status,
    owner: action.owner.name,
    dueDate: action.dueDate,
    overdue: action.overdue ? 'yes' : 'no',
    proposedDueDate: action.proposedDueDate ?? '',
    review: row.reviewTitle ?? '',
    initiative: row.initiativeTitle ?? '',
    metric: row.metricName ?? '',
    expectedEffect: effect
      ? `${row.metricName ?? 'metric'} within ${Math.round(effect.maxSlip * 1000) / 10}% of plan by ${effect.by}`
      : '',
    verification: action.verification ?? (effect ? 'pending' : ''),
    dropReason: action.dropReason ?? '',
    createdAt: action.createdAt,
    committedAt: action.committedAt ?? '',
    id: action.id,
  };
}

export function actionListRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const now = c.var.deps.now();
    const { rows, total } = await listOrganizationActions(
      c.var.deps.sql,
      c.req.valid('param').orgId,
      filtersOf(query),
      { now, sort: query.sort, limit: query.limit, offset: query.offset },
    );
    return c.json({ actions: rows.map((row) => toListItem(row, now)), total }, 200);
  });

  app.openapi(routes.csv, async (c) => {
    const query = c.req.valid('query');
    const now = c.var.deps.now();
    const { rows } = await listOrganizationActions(c.var.deps.sql, c.req.valid('param').orgId, filtersOf(query), {
      now,
      sort: query.sort,
      limit: CSV_MAX_ROWS,
      offset: 0,
    });
    const body = stringify(
      rows.map((row) => toCsvRecord(row, now)),
      {
        header: true,
        columns: CSV_COLUMNS.map(({ key, header }) => ({ key, header })),
        record_delimiter: 'windows',
        // A byte order mark, so spreadsheets read the names as UTF-8.
        bom: true,
        cast: { string: defuseCsvCell },
      },
    );
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="lastmile-actions-${calendarDate(now)}.csv"`);
    c.header('cache-control', 'no-store');
    return c.body(body, 200);
  });

  app.openapi(routes.mine, async (c) => {
    const query = c.req.valid('query');
    const now = c.var.deps.now();
    const { rows, total } = await listOwnActions(c.var.deps.sql, c.var.user.id, {
      now,
      statuses: query.status,
      limit: MINE_MAX_ROWS,
    });
    const lastThisWeek = weekEnd(now);
    const actions = rows.map((row) => {
      const item = toListItem(row, now);
      const open = item.status === 'proposed' || item.status === 'committed';
      return {
        ...item,
        organization: { id: row.organizationId, name: row.organizationName },
        dueThisWeek: open && !item.overdue && item.dueDate <= lastThisWeek,
      };
    });
    return c.json({ actions, total }, 200);
  });

  return app;
}
