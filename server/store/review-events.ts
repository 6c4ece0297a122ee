// A review's event log: what happened in it, by whom and when, appended as it happens and read back in order.
import type { Db } from '../db/connect.ts';

export interface ReviewEvent {
  kind: string;
  actorId: string | null;
  at: Date;
  data?: Record<string, unknown>;
}

export async function appendReviewEvent(sql: Db, reviewId: string, event: ReviewEvent): Promise<void> {
  await sql`
    insert into review_events (review_id, at, actor_id, kind, data)
    values (${reviewId}, ${event.at}, ${event.actorId}, ${event.kind}, ${sql.json((event.data ?? {}) as never)})
  `;
}

export async function listReviewEvents(
  sql: Db,
  reviewId: string,
): Promise<(ReviewEvent & { id: string; data: Record<string, unknown> })[]> {
  return sql`
    select
      id::text,
      kind,
      actor_id,
      at,
      data
    from review_events
    where review_id = ${reviewId}
    order by at, id
  `;
}

export interface ReviewEventRow {
  id: string;
  kind: string;
  at: Date;
  actor: { id: string; name: string } | null;
  data: Record<string, unknown>;
}

/** One page of a review's event log, oldest first, with the actors' names. */
export async function listReviewEventsPage(
  sql: Db,
  reviewId: string,
  options: { afterId?: string; limit: number },
): Promise<ReviewEventRow[]> {
  return sql<ReviewEventRow[]>`
    select
      e.id::text,
      e.kind,
      e.at,
      case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end as actor,
      e.data
    from review_events e
    left join users u on u.id = e.actor_id
    where e.review_id = ${reviewId} and e.id > ${options.afterId ?? '0'}::bigint
    order by e.id
    limit ${options.limit}
  `;
}
