// Action items and their history. Changes check the version the client saw (optimistic concurrency).
import { transaction, type Db } from '../db/connect.ts';
import type { ActionStatus } from '../domain/action-items.ts';

export interface ActionItemInput {
  id: string;
  reviewId: string | null;
  itemId: string | null;
  title: string;
  ownerId: string;
  dueDate: string;
  initiativeId: string | null;
  metricId: string | null;
  /** The effect on the linked metric that closes the item by the numbers. */
  expectedEffect: ExpectedEffect | null;
}

export interface ExpectedEffect {
  /** Slip at most this fraction of plan (0.05 = within 5%). */
  maxSlip: number;
  by: string;
}

export type Verification = 'verified' | 'not_verified';

export interface ActionItemRow extends ActionItemInput {
  organizationId: string;
  owner: { id: string; name: string };
  status: ActionStatus;
  dropReason: string | null;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  committedAt: Date | null;
  proposedDueDate: string | null;
  verification: Verification | null;
  verifiedAt: Date | null;
}

export interface HistoryRow {
  at: Date;
  actor: { id: string; name: string } | null;
  change: string;
  data: Record<string, unknown>;
}

const columns = (sql: Db) => sql`
  a.id,
  a.organization_id,
  a.review_id,
  a.item_id,
  a.title,
  a.owner_id,
  json_build_object('id', u.id, 'name', u.name) as owner,
  to_char(a.due_date, 'YYYY-MM-DD') as due_date,
  a.initiative_id,
  a.metric_id,
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

export async function findActionItem(sql: Db, id: string): Promise<ActionItemRow | undefined> {
  const [row] = await sql<ActionItemRow[]>`
    select ${columns(sql)}
    from action_items a
    join users u on u.id = a.owner_id
    where a.id = ${id}
  `;
  return row;
}

/** Inserts the item with its first history entry; false when an item with this id exists already. */
export async function insertActionItem(
  sql: Db,
  organizationId: string,
  input: ActionItemInput,
  actorId: string,
  now: Date,
): Promise<boolean> {
  return transaction(sql, async (tx) => {
    const rows = await tx`
      insert into action_items (
        id, organization_id, review_id, item_id, title, owner_id, due_date, initiative_id, metric_id,
        expected_max_slip, expected_by, created_by, created_at, updated_at
      )
      values (
        ${input.id}, ${organizationId}, ${input.reviewId}, ${input.itemId}, ${input.title}, ${input.ownerId},
        ${input.dueDate}, ${input.initiativeId}, ${input.metricId}, ${input.expectedEffect?.maxSlip ?? null},
        ${input.expectedEffect?.by ?? null}, ${actorId}, ${now}, ${now}
      )
      on conflict (id) do nothing
      returning id
    `;
    if (rows.length === 0) return false;
    await addHistory(tx, input.id, actorId, now, 'recorded', {
      title: input.title,
      ownerId: input.ownerId,
      dueDate: input.dueDate,
      ...(input.expectedEffect ? { expectedEffect: input.expectedEffect } : {}),
    });
    return true;
  });
}

async function addHistory(
  sql: Db,
  id: string,
  actorId: string | null,
  at: Date,
  change: string,
  data: Record<string, unknown>,
): Promise<void> {
  await sql`
    insert into action_item_history (action_item_id, at, actor_id, change, data)
    values (${id}, ${at}, ${actorId}, ${change}, ${sql.json(data as never)})
  `;
}

export type ActionChange = Partial<
  Pick<ActionItemRow, 'title' | 'ownerId' | 'dueDate' | 'status' | 'dropReason' | 'committedAt'>
> & {
  /** A date sets the owner's counter-proposal; null clears it (accepted or declined). */
  proposedDueDate?: string | null;
  /** The expected effect's new date (it moves with the due date). */
  expectedBy?: string;
};

/**
 * Applies a change if the item is still at `version`; returns false on a version conflict. The history records
 * what changed, by whom and when.
 */
export async function updateActionItem(
  sql: Db,
  id: string,
  version: number,
  change: ActionChange,
  history: { actorId: string; at: Date; change: string },
): Promise<boolean> {
  return transaction(sql, async (tx) => {
    const rows = await tx`
      update action_items
      set
        title = coalesce(${change.title ?? null}, title),
        owner_id = coalesce(${change.ownerId ?? null}, owner_id),
        due_date = coalesce(${change.dueDate ?? null}::date, due_date),
        expected_by = case when expected_by is null then null
          else coalesce(${change.expectedBy ?? null}::date, expected_by) end,
        status = coalesce(${change.status ?? null}, status),
        drop_reason = coalesce(${change.dropReason ?? null}, drop_reason),
        committed_at = case
          when ${change.committedAt === undefined} then committed_at
          else ${change.committedAt ?? null}::timestamptz
        end,
        proposed_due_date = case
          when ${change.proposedDueDate === undefined} then proposed_due_date
          else ${change.proposedDueDate ?? null}::date
        end,
        version = version + 1,
        updated_at = ${history.at}
      where id = ${id} and version = ${version}
      returning id
    `;
    if (rows.length === 0) return false;
    const { committedAt: _committedAt, ...shown } = change;
    await addHistory(tx, id, history.actorId, history.at, history.change, shown);
    return true;
  });
}

export async function listHistory(sql: Db, id: string): Promise<HistoryRow[]> {
  return sql<HistoryRow[]>`
    select
      h.at,
      case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end as actor,
      h.change,
      h.data
    from action_item_history h
    left join users u on u.id = h.actor_id
    where h.action_item_id = ${id}
    order by h.at, h.id
  `;
}

/** Open items of earlier reviews of a series, and those whose expected effect was not verified since `since`. */
export async function followUpsOfSeries(
  sql: Db,
  seriesId: string,
  excludeReviewId: string,
  since: Date | null,
): Promise<(ActionItemRow & { reviewTitle: string; reviewFacilitatorId: string | null })[]> {
  return sql<(ActionItemRow & { reviewTitle: string; reviewFacilitatorId: string | null })[]>`
    select
      ${columns(sql)},
      r.title as review_title,
      (
        select p.user_id from review_participants p where p.review_id = r.id and p.role = 'facilitator'
      ) as review_facilitator_id
    from action_items a
    join users u on u.id = a.owner_id
    join reviews r on r.id = a.review_id
    where r.series_id = ${seriesId}
      and r.id <> ${excludeReviewId}
      and (
        a.status in ('proposed', 'committed')
        or (a.verification = 'not_verified' and a.status <> 'dropped' and (${since}::timestamptz is null or a.verified_at >= ${since}))
      )
    order by a.due_date, a.title, a.id
  `;
}

/** Marks items linked to the metric as verified when a reading meets their expected effect in time. */
export async function verifyByReading(
  sql: Db,
  metricId: string,
  slip: number,
  readingDate: string,
  at: Date,
): Promise<string[]> {
  return transaction(sql, async (tx) => {
    const rows = await tx<{ id: string }[]>`
      update action_items
      set verification = 'verified', verified_at = ${at}, version = version + 1, updated_at = ${at}
      where metric_id = ${metricId}
        and verification is null
        and status <> 'dropped'
        and expected_max_slip >= ${slip}
        and expected_by >= ${readingDate}::date
      returning id
    `;
    for (const { id } of rows) await addHistory(tx, id, null, at, 'verified by metric', { slip });
    return rows.map((row) => row.id);
  });
}

/** Marks items whose expected effect's date passed (before `today`) without a confirming reading. */
export async function expireVerifications(sql: Db, today: string, at: Date): Promise<string[]> {
  return transaction(sql, async (tx) => {
    const rows = await tx<{ id: string }[]>`
      update action_items
      set verification = 'not_verified', verified_at = ${at}, version = version + 1, updated_at = ${at}
      where verification is null and status <> 'dropped' and expected_by < ${today}::date
      returning id
    `;
    for (const { id } of rows) await addHistory(tx, id, null, at, 'not verified', {});
    return rows.map((row) => row.id);
  });
}
