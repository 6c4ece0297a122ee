// Reviews: scheduling one with its series, scope and first participants, reading them, moving them along.
// Their room roles are review-participants.ts, their event log review-events.ts.
import { transaction, type Db } from '../db/connect.ts';
import type { Phase, RoomRole } from '../domain/board.ts';

export const REVIEW_STATUSES = ['scheduled', 'live', 'closed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface ReviewRow {
  id: string;
  organizationId: string;
  series: { id: string; title: string } | null;
  title: string;
  scheduledAt: Date;
  status: ReviewStatus;
  phase: Phase;
  startedAt: Date | null;
  closedAt: Date | null;
  createdBy: string | null;
  metricIds: string[];
  initiativeIds: string[];
  createdAt: Date;
}

export interface NewReview {
  id: string;
  title: string;
  seriesTitle: string | null;
  scheduledAt: Date;
  metricIds: string[];
  initiativeIds: string[];
  createdBy: string;
  participants: { userId: string; role: RoomRole }[];
}

const reviewColumns = (sql: Db) => sql`
  r.id,
  r.organization_id,
  case when s.id is null then null else json_build_object('id', s.id, 'title', s.title) end as series,
  r.title,
  r.scheduled_at,
  r.status,
  r.phase,
  r.started_at,
  r.closed_at,
  r.created_by,
  coalesce(
    (select array_agg(rm.metric_id order by rm.metric_id) from review_metrics rm where rm.review_id = r.id),
    '{}'
  ) as metric_ids,
  coalesce(
    (select array_agg(ri.initiative_id order by ri.initiative_id) from review_initiatives ri where ri.review_id = r.id),
    '{}'
  ) as initiative_ids,
  r.created_at
`;

/** Creates a review with its scope and participants, finding or creating its series by title. */
export async function insertReview(sql: Db, organizationId: string, input: NewReview): Promise<void> {
  await transaction(sql, async (tx) => {
    let seriesId: string | null = null;
    if (input.seriesTitle) {
      // The no-op update makes the conflicting row come back, so two reviews of a new series share it.
      const [series] = await tx<{ id: string }[]>`
        insert into review_series (organization_id, title)
        values (${organizationId}, ${input.seriesTitle})
        on conflict (organization_id, lower(title)) do update set title = review_series.title
        returning id
      `;
      seriesId = series!.id;
    }
    await tx`
      insert into reviews (id, organization_id, series_id, title, scheduled_at, created_by)
      values (${input.id}, ${organizationId}, ${seriesId}, ${input.title}, ${input.scheduledAt}, ${input.createdBy})
    `;
    if (input.metricIds.length > 0) {
      await tx`
        insert into review_metrics (review_id, metric_id)
        select ${input.id}, unnest(${input.metricIds}::uuid[])
      `;
    }
    if (input.initiativeIds.length > 0) {
      await tx`
        insert into review_initiatives (review_id, initiative_id)
        select ${input.id}, unnest(${input.initiativeIds}::uuid[])
      `;
    }
    for (const participant of input.participants) {
      await tx`
        insert into review_participants (review_id, user_id, role)
        values (${input.id}, ${participant.userId}, ${participant.role})
      `;
    }
  });
}

export async function findReview(sql: Db, reviewId: string): Promise<ReviewRow | undefined> {
  const [row] = await sql<ReviewRow[]>`
    select ${reviewColumns(sql)}
    from reviews r
    left join review_series s on s.id = r.series_id
    where r.id = ${reviewId}
  `;
  return row;
}

export async function listReviews(sql: Db, organizationId: string): Promise<ReviewRow[]> {
  return sql<ReviewRow[]>`
    select ${reviewColumns(sql)}
    from reviews r
    left join review_series s on s.id = r.series_id
    where r.organization_id = ${organizationId}
    order by r.scheduled_at desc, r.id
  `;
}

export async function updateReviewDetails(
  sql: Db,
  reviewId: string,
  input: { title?: string; scheduledAt?: Date },
  now: Date,
): Promise<void> {
  await sql`
    update reviews
    set
      title = coalesce(${input.title ?? null}, title),
      scheduled_at = coalesce(${input.scheduledAt ?? null}, scheduled_at),
      updated_at = ${now}
    where id = ${reviewId}
  `;
}

/**
 * Moves a review along scheduled → live → closed. Returns false if it was not in `from` (someone else moved it
 * first), so a double click never records two transitions.
 */
export async function transitionReview(
  sql: Db,
  reviewId: string,
  from: ReviewStatus,
  to: ReviewStatus,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update reviews
    set
      status = ${to},
      started_at = case when ${to} = 'live' then coalesce(started_at, ${now}) else started_at end,
      closed_at = case when ${to} = 'closed' then ${now} else closed_at end,
      updated_at = ${now}
    where id = ${reviewId} and status = ${from}
    returning id
  `;
  return rows.length > 0;
}

export async function setReviewPhase(sql: Db, reviewId: string, phase: Phase, now: Date): Promise<void> {
  await sql`
    update reviews
    set phase = ${phase}, updated_at = ${now}
    where id = ${reviewId}
  `;
}

/** Live reviews that have a metric in scope: the boards a reading of it may pivot. */
export async function liveReviewsWithMetric(sql: Db, metricId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select r.id
    from reviews r
    join review_metrics rm on rm.review_id = r.id
    where rm.metric_id = ${metricId} and r.status = 'live'
    order by r.id
  `;
  return rows.map((row) => row.id);
}

/** When the latest other review of a series went live (null when none did). */
export async function previousStartInSeries(sql: Db, seriesId: string, reviewId: string): Promise<Date | null> {
  const [row] = await sql<{ startedAt: Date | null }[]>`
    select max(started_at) as started_at
    from reviews
    where series_id = ${seriesId} and id <> ${reviewId} and started_at is not null
  `;
  return row?.startedAt ?? null;
}

/** Live reviews of the series a review belongs to: the boards whose commitments check may list its items. */
export async function liveReviewsInSeriesOf(sql: Db, reviewId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select other.id
    from reviews r
    join reviews other on other.series_id = r.series_id
    where r.id = ${reviewId} and other.status = 'live' and other.id <> r.id
    order by other.id
  `;
  return rows.map((row) => row.id);
}
