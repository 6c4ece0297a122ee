// What the staleness scan reads and writes: metrics whose latest reading is old enough to be stale for some
// frequency and whose owner has not been told about this lapse, the claim of a lapse, and its notification.
import type { Db } from '../db/connect.ts';
import type { MetricNotificationDraft } from '../domain/notifications.ts';
import type { ReportingFrequency } from '../domain/staleness.ts';

export interface StaleCandidateRow {
  id: string;
  organizationId: string;
  name: string;
  frequency: ReportingFrequency;
  ownerId: string;
  /** The latest reading's time, to the millisecond (as JavaScript keeps it). */
  latestAt: Date;
}

/**
 * Metrics whose latest reading is before `olderThan` and whose lapse from that reading has not been announced.
 * Whether each one is stale is the rule's to say (staleness.ts); this only narrows the search.
 */
export async function listStaleCandidates(sql: Db, olderThan: Date): Promise<StaleCandidateRow[]> {
  return sql<StaleCandidateRow[]>`
    select m.id, m.organization_id, m.name, m.frequency, m.owner_id, l.at as latest_at
    from metrics m
    cross join lateral (
      select date_trunc('milliseconds', r.at) as at from readings r where r.metric_id = m.id order by r.at desc limit 1
    ) l
    where l.at < ${olderThan}
      and m.stale_notified_for is distinct from l.at
    order by l.at, m.id
  `;
}

/**
 * Records that the lapse starting from the reading at `latestAt` was announced; false when it already was (another
 * scan or process got there first) or when a newer reading came in meanwhile (that starts another lapse).
 */
export async function claimStaleLapse(sql: Db, metricId: string, latestAt: Date): Promise<boolean> {
  const rows = await sql`
    update metrics m
    set stale_notified_for = ${latestAt}
    where m.id = ${metricId}
      and m.stale_notified_for is distinct from ${latestAt}::timestamptz
      and not exists (
        select 1 from readings r where r.metric_id = m.id and date_trunc('milliseconds', r.at) > ${latestAt}
      )
    returning m.id
  `;
  return rows.length > 0;
}

export async function insertMetricNotification(sql: Db, draft: MetricNotificationDraft, now: Date): Promise<void> {
  await sql`
    insert into notifications (user_id, organization_id, metric_id, kind, title, body, created_at)
    values (${draft.userId}, ${draft.organizationId}, ${draft.metricId}, ${draft.kind}, ${draft.title}, ${draft.body}, ${now})
  `;
}
