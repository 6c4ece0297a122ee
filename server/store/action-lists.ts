// Lists of action items: an organization's (filtered, overdue first, paged) and one person's across their
// organizations, with the names of what each item came from and is linked to.
import type { Db } from '../db/connect.ts';
import { calendarDate, type ActionStatus } from '../domain/action-items.ts';
import type { ActionItemRow } from './action-items.ts';

export interface ActionListFilters {
  ownerId?: string;
  /** Any of these; all statuses when empty or absent. */
  statuses?: readonly ActionStatus[];
  initiativeId?: string;
  metricId?: string;
  reviewId?: string;
  /** Only the overdue ones. */
  overdue?: boolean;
  /** Case-insensitive text in the title or the owner's name. */
  q?: string;
}

/** `urgency`: overdue first, then the earliest due date; `due` / `-due`: by due date only. */
export type ActionListSort = 'urgency' | 'due' | '-due';

export interface ActionListRow extends ActionItemRow {
  organizationName: string;
  reviewTitle: string | null;
  initiativeTitle: string | null;
  metricName: string | null;
}

/**
 * The first due date that is not overdue yet: today in UTC−12, the last place on earth where a day ends. Mirrors
 * `isOverdue` in server/domain/action-items.ts, so the database can filter and sort by it; tests hold them together.
 */
export function overdueCutoff(now: Date): string {
  return calendarDate(now, 'Etc/GMT+12');
}

const OPEN: readonly ActionStatus[] = ['proposed', 'committed'];

const columns = (sql: Db) => sql`
  a.id,
  a.organization_id,
  o.name as organization_name,
  a.review_id,
  r.title as review_title,
  a.item_id,
  a.title,
  a.owner_id,
  json_build_object('id', u.id, 'name', u.name) as owner,
  to_char(a.due_date, 'YYYY-MM-DD') as due_date,
  a.initiative_id,
  i.title as initiative_title,
  a.metric_id,
  m.name as metric_name,
  a.status,
  a.drop_reason,
  a.version,
  a.created_by,
  a.created_at,
  a.updated_at,
  a.committed_at,
  to_char(a.proposed_due_date, 'YYYY-MM-DD') as proposed_due_date,
  case when a.expected_by is null then null
    else json_build_object('maxSlip', a.expected_max_slip::float8, 'by', to_char(a.expected_by, 'YYYY-MM-DD'))
  end as expected_effect,
  a.verification,
  a.verified_at
`;

const joins = (sql: Db) => sql`
  join organizations o on o.id = a.organization_id
  join users u on u.id = a.owner_id
  left join reviews r on r.id = a.review_id
  left join initiatives i on i.id = a.initiative_id
  left join metrics m on m.id = a.metric_id
`;

const isOpen = (sql: Db) => sql`a.status in ${sql(OPEN as ActionStatus[])}`;

function conditions(sql: Db, filters: ActionListFilters, cutoff: string) {
  const parts = [];
  if (filters.ownerId) parts.push(sql`a.owner_id = ${filters.ownerId}`);
  if (filters.statuses?.length) parts.push(sql`a.status in ${sql(filters.statuses as ActionStatus[])}`);
  if (filters.initiativeId) parts.push(sql`a.initiative_id = ${filters.initiativeId}`);
  if (filters.metricId) parts.push(sql`a.metric_id = ${filters.metricId}`);
  if (filters.reviewId) parts.push(sql`a.review_id = ${filters.reviewId}`);
  if (filters.overdue) parts.push(sql`${isOpen(sql)} and a.due_date < ${cutoff}::date`);
  // strpos rather than LIKE, so % and _ in the search text are plain characters.
  if (filters.q)
    parts.push(
      sql`(strpos(lower(a.title), lower(${filters.q})) > 0 or strpos(lower(u.name), lower(${filters.q})) > 0)`,
    );
  return parts.reduce((all, part) => sql`${all} and ${part}`, sql`true`);
}

function ordering(sql: Db, sort: ActionListSort, cutoff: string) {
  if (sort === 'due') return sql`a.due_date, a.created_at, a.id`;
  if (sort === '-due') return sql`a.due_date desc, a.created_at desc, a.id desc`;
  return sql`(${isOpen(sql)} and a.due_date < ${cutoff}::date) desc, a.due_date, a.created_at, a.id`;
}

/** One page of the organization's action items matching the filters, and how many match in all. */
export async function listOrganizationActions(
  sql: Db,
  organizationId: string,
  filters: ActionListFilters,
  options: { now: Date; sort: ActionListSort; limit: number; offset: number },
): Promise<{ rows: ActionListRow[]; total: number }> {
  const cutoff = overdueCutoff(options.now);
  const where = sql`a.organization_id = ${organizationId} and ${conditions(sql, filters, cutoff)}`;
  const [rows, [count]] = await Promise.all([
    sql<ActionListRow[]>`
      select ${columns(sql)}
      from action_items a
      ${joins(sql)}
      where ${where}
      order by ${ordering(sql, options.sort, cutoff)}
      limit ${options.limit}
      offset ${options.offset}
    `,
    sql<{ total: number }[]>`
      select
        count(*)::int as total
      from action_items a
      join users u on u.id = a.owner_id
      where ${where}
    `,
  ]);
  return { rows, total: count!.total };
}

/**
 * What one person owns in the organizations they are still a member of, overdue first. Open ones unless
 * statuses say otherwise.
 */
export async function listOwnActions(
  sql: Db,
  userId: string,
  options: { now: Date; statuses?: readonly ActionStatus[]; limit: number },
): Promise<{ rows: ActionListRow[]; total: number }> {
  const cutoff = overdueCutoff(options.now);
  const statuses = options.statuses?.length ? options.statuses : OPEN;
  const where = sql`
    a.owner_id = ${userId}
    and a.status in ${sql(statuses as ActionStatus[])}
    and exists (
      select 1 from memberships ms where ms.organization_id = a.organization_id and ms.user_id = ${userId}
    )
  `;
  const [rows, [count]] = await Promise.all([
    sql<ActionListRow[]>`
      select ${columns(sql)}
      from action_items a
      ${joins(sql)}
      where ${where}
      order by ${ordering(sql, 'urgency', cutoff)}
      limit ${options.limit}
    `,
    sql<{ total: number }[]>`
      select
        count(*)::int as total
      from action_items a
      where ${where}
    `,
  ]);
  return { rows, total: count!.total };
}
