// Minutes: the copy generated when a review closed, and what building them reads besides the board (the review's
// action items and the names of the people it mentions).
import type { Db } from '../db/connect.ts';
import type { Minutes, MinutesActionFact } from '../domain/minutes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The review's action items, and the other ones named (those its commitments check lists). */
export async function listMinutesActions(
  sql: Db,
  reviewId: string,
  otherIds: readonly string[] = [],
): Promise<MinutesActionFact[]> {
  const ids = otherIds.filter((id) => UUID.test(id));
  const rows = await sql<(Omit<MinutesActionFact, 'committedAt'> & { committedAt: Date | null })[]>`
    select
      a.id,
      a.review_id,
      a.item_id,
      a.title,
      a.owner_id,
      u.name as owner_name,
      to_char(a.due_date, 'YYYY-MM-DD') as due_date,
      a.status,
      a.committed_at,
      a.drop_reason
    from action_items a
    join users u on u.id = a.owner_id
    where a.review_id = ${reviewId} or a.id = any(${ids}::uuid[])
    order by a.created_at, a.id
  `;
  return rows.map((row) => ({ ...row, committedAt: row.committedAt ? row.committedAt.toISOString() : null }));
}

/**
 * Names of users by id, only for people this review may name: members of its organization, and whoever took part
 * in the review itself (listed, or acting in its event log) even if they have left since. Any other id, such as a
 * user of another organization written into the board, gets no name.
 */
export async function findUserNames(
  sql: Db,
  scope: { organizationId: string; reviewId: string },
  userIds: readonly string[],
): Promise<Record<string, string>> {
  const ids = [...new Set(userIds)].filter((id) => UUID.test(id));
  if (ids.length === 0) return {};
  const rows = await sql<{ id: string; name: string }[]>`
    select
      u.id,
      u.name
    from users u
    where
      u.id = any(${ids}::uuid[])
      and (
        exists (
          select 1 from memberships m where m.user_id = u.id and m.organization_id = ${scope.organizationId}
        )
        or exists (
          select 1 from review_participants p where p.user_id = u.id and p.review_id = ${scope.reviewId}
        )
        or exists (
          select 1 from review_events e where e.actor_id = u.id and e.review_id = ${scope.reviewId}
        )
      )
  `;
  return Object.fromEntries(rows.map((row) => [row.id, row.name]));
}

/** Keeps the minutes generated at close (a second close of the same review cannot happen; the latest wins). */
export async function saveReviewMinutes(
  sql: Db,
  reviewId: string,
  minutes: Minutes,
  markdown: string,
  at: Date,
): Promise<void> {
  await sql`
    insert into review_minutes (review_id, minutes, markdown, generated_at)
    values (${reviewId}, ${sql.json(minutes as never)}, ${markdown}, ${at})
    on conflict (review_id) do update
      set minutes = excluded.minutes, markdown = excluded.markdown, generated_at = excluded.generated_at
  `;
}

export async function findReviewMinutes(
  sql: Db,
  reviewId: string,
): Promise<{ minutes: Minutes; markdown: string; generatedAt: Date } | undefined> {
  const [row] = await sql<{ minutes: Minutes; markdown: string; generatedAt: Date }[]>`
    select
      minutes,
      markdown,
      generated_at
    from review_minutes
    where review_id = ${reviewId}
  `;
  return row;
}
