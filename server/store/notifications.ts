// Notifications for people (once per person, item and kind), the scan's record of what it announced, and the
// hashed calendar feed tokens.
import type { Db } from '../db/connect.ts';
import type { ActionStatus } from '../domain/action-items.ts';
import type { NotificationDraft, NotificationKind } from '../domain/notifications.ts';

export interface NotificationRow {
  id: string;
  organizationId: string;
  actionItemId: string | null;
  /** Set on a metric_stale notification. */
  metricId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
  /** The action item as it is now (null for a metric notification), to tell whether the notification still stands. */
  itemStatus: ActionStatus | null;
  itemOwnerId: string | null;
}

/** Stores the notification unless this person already had one of this kind for the item; true when stored. */
export async function insertNotification(sql: Db, draft: NotificationDraft, now: Date): Promise<boolean> {
  const rows = await sql`
    insert into notifications (user_id, organization_id, action_item_id, kind, title, body, created_at)
    values (
      ${draft.userId}, ${draft.organizationId}, ${draft.actionItemId}, ${draft.kind}, ${draft.title}, ${draft.body},
      ${now}
    )
    on conflict (user_id, action_item_id, kind) where action_item_id is not null do nothing
    returning id
  `;
  return rows.length > 0;
}

/** Newest first; `before` is the id of the last one already shown. */
export async function listNotifications(
  sql: Db,
  userId: string,
  page: { limit: number; before?: string },
): Promise<NotificationRow[]> {
  const cursor = page.before
    ? await sql<{ createdAt: Date; id: string }[]>`
        select created_at, id from notifications where id = ${page.before} and user_id = ${userId}
      `
    : [];
  const after = cursor[0];
  return sql<NotificationRow[]>`
    select
      n.id,
      n.organization_id,
      n.action_item_id,
      n.metric_id,
      n.kind,
      n.title,
      n.body,
      n.created_at,
      n.read_at,
      a.status as item_status,
      a.owner_id as item_owner_id
    from notifications n
    left join action_items a on a.id = n.action_item_id
    where n.user_id = ${userId}
      and exists (
        select 1 from memberships m where m.user_id = n.user_id and m.organization_id = n.organization_id
      )
      ${after ? sql`and (n.created_at, n.id) < (${after.createdAt}, ${after.id})` : sql``}
    order by n.created_at desc, n.id desc
    limit ${page.limit}
  `;
}

/** The person's unread notifications, with their item as it is now, for the unread count. */
export async function listUnread(
  sql: Db,
  userId: string,
): Promise<Pick<NotificationRow, 'kind' | 'itemStatus' | 'itemOwnerId'>[]> {
  return sql<Pick<NotificationRow, 'kind' | 'itemStatus' | 'itemOwnerId'>[]>`
    select n.kind, a.status as item_status, a.owner_id as item_owner_id
    from notifications n
    left join action_items a on a.id = n.action_item_id
    where n.user_id = ${userId}
      and n.read_at is null
      and exists (
        select 1 from memberships m where m.user_id = n.user_id and m.organization_id = n.organization_id
      )
  `;
}

/** Marks the given notifications (or all when `ids` is null) as read; returns how many changed. */
export async function markRead(sql: Db, userId: string, ids: readonly string[] | null, now: Date): Promise<number> {
  const rows = await sql`
    update notifications
    set read_at = ${now}
    where user_id = ${userId}
      and read_at is null
      ${ids ? sql`and id = any(${ids as string[]}::uuid[])` : sql``}
    returning id
  `;
  return rows.length;
}

export interface OpenItemRow {
  id: string;
  organizationId: string;
  organizationName: string;
  reviewId: string | null;
  title: string;
  ownerId: string;
  ownerName: string;
  dueDate: string;
  status: ActionStatus;
}

/** Open items due on or before `lastDate` that the scan has not yet announced as `kind`. */
export async function listItemsToAnnounce(
  sql: Db,
  lastDate: string,
  kind: 'due_soon' | 'overdue',
): Promise<OpenItemRow[]> {
  return sql<OpenItemRow[]>`
    select
      a.id,
      a.organization_id,
      o.name as organization_name,
      a.review_id,
      a.title,
      a.owner_id,
      u.name as owner_name,
      to_char(a.due_date, 'YYYY-MM-DD') as due_date,
      a.status
    from action_items a
    join organizations o on o.id = a.organization_id
    join users u on u.id = a.owner_id
    where a.status in ('proposed', 'committed')
      and a.due_date <= ${lastDate}::date
      and not exists (select 1 from action_item_signals s where s.action_item_id = a.id and s.kind = ${kind})
    order by a.due_date, a.id
  `;
}

/** Records that the scan announced the item; false when another scan (or process) did already. */
export async function claimSignal(sql: Db, actionItemId: string, kind: 'due_soon' | 'overdue', now: Date) {
  const rows = await sql`
    insert into action_item_signals (action_item_id, kind, signalled_at)
    values (${actionItemId}, ${kind}, ${now})
    on conflict do nothing
    returning action_item_id
  `;
  return rows.length > 0;
}

/** Open items a person owns, in organizations they still belong to, for their calendar feed. */
export async function listOpenItemsOwnedBy(sql: Db, userId: string): Promise<OpenItemRow[]> {
  return sql<OpenItemRow[]>`
    select
      a.id,
      a.organization_id,
      o.name as organization_name,
      a.review_id,
      a.title,
      a.owner_id,
      u.name as owner_name,
      to_char(a.due_date, 'YYYY-MM-DD') as due_date,
      a.status
    from action_items a
    join organizations o on o.id = a.organization_id
    join users u on u.id = a.owner_id
    join memberships m on m.organization_id = a.organization_id and m.user_id = a.owner_id
    where a.owner_id = ${userId}
      and a.status in ('proposed', 'committed')
    order by a.due_date, a.id
  `;
}

/** Sets (or replaces) the person's feed token; the previous one stops working at once. */
export async function setCalendarToken(sql: Db, userId: string, tokenHash: string, now: Date): Promise<void> {
  await sql`
    insert into calendar_feed_tokens (user_id, token_hash, created_at)
    values (${userId}, ${tokenHash}, ${now})
    on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at
  `;
}

/** Creates a token only if the person has none; true when this call created it. */
export async function createCalendarTokenIfMissing(
  sql: Db,
  userId: string,
  tokenHash: string,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    insert into calendar_feed_tokens (user_id, token_hash, created_at)
    values (${userId}, ${tokenHash}, ${now})
    on conflict (user_id) do nothing
    returning user_id
  `;
  return rows.length > 0;
}

export async function findCalendarToken(sql: Db, userId: string): Promise<{ createdAt: Date } | undefined> {
  const [row] = await sql<{ createdAt: Date }[]>`
    select created_at from calendar_feed_tokens where user_id = ${userId}
  `;
  return row;
}

export async function findCalendarOwner(
  sql: Db,
  tokenHash: string,
): Promise<{ userId: string; name: string } | undefined> {
  const [row] = await sql<{ userId: string; name: string }[]>`
    select
      t.user_id,
      u.name
    from calendar_feed_tokens t
    join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash}
  `;
  return row;
}
