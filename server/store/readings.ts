// Readings of a metric: idempotent on (metric, at, source); each write re-assesses the metric under a lock.
import { transaction, type Db } from '../db/connect.ts';
import { assessMetric, TREND_WINDOW, type MetricAssessment, type MetricPlan, type Status } from '../domain/slip.ts';

export interface ReadingInput {
  at: Date;
  value: number;
  source: string;
  note: string | null;
}

export interface ReadingRow extends ReadingInput {
  id: string;
  metricId: string;
  createdAt: Date;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  before: Status;
  after: MetricAssessment;
}

/**
 * Inserts readings of one metric and re-assesses it, in one transaction that locks the metric row,
 * so concurrent writers see each other's status and a threshold crossing is reported exactly once.
 */
export async function ingestReadings(
  sql: Db,
  metricId: string,
  readings: ReadingInput[],
  now: Date,
): Promise<IngestResult | undefined> {
  return transaction(sql, async (tx) => {
    const [metric] = await tx<(MetricPlan & { lastStatus: Status })[]>`
      select
        direction,
        baseline,
        target,
        range_min,
        range_max,
        start_at,
        target_at,
        slip_threshold,
        last_status
      from metrics
      where id = ${metricId}
      for update
    `;
    if (!metric) return undefined;
    const inserted = await tx`
      insert into readings (metric_id, at, value, source, note)
      select ${metricId}, r.at, r.value, r.source, r.note
      from unnest(
        ${readings.map((r) => r.at.toISOString())}::timestamptz[],
        ${readings.map((r) => r.value)}::float8[],
        ${readings.map((r) => r.source)}::text[],
        ${readings.map((r) => r.note)}::text[]
      ) as r(at, value, source, note)
      on conflict (metric_id, at, source) do nothing
      returning id
    `;
    const recent = await recentReadings(tx, metricId, TREND_WINDOW);
    const after = assessMetric(metric, recent);
    await tx`
      update metrics
      set
        last_status = ${after.status},
        updated_at = ${now}
      where id = ${metricId}
    `;
    return {
      accepted: inserted.length,
      duplicates: readings.length - inserted.length,
      before: metric.lastStatus,
      after,
    };
  });
}

export async function recentReadings(sql: Db, metricId: string, limit: number): Promise<ReadingRow[]> {
  return sql<ReadingRow[]>`
    select
      id::text,
      metric_id,
      at,
      value,
      source,
      note,
      created_at
    from readings
    where metric_id = ${metricId}
    order by at desc, id desc
    limit ${limit}
  `;
}

/** The latest `perMetric` readings of each metric, oldest first, in one query. */
export async function recentReadingsByMetric(
  sql: Db,
  metricIds: string[],
  perMetric: number,
): Promise<Map<string, ReadingRow[]>> {
  const byMetric = new Map<string, ReadingRow[]>(metricIds.map((id) => [id, []]));
  if (metricIds.length === 0) return byMetric;
  const rows = await sql<ReadingRow[]>`
    select
      r.id::text,
      r.metric_id,
      r.at,
      r.value,
      r.source,
      r.note,
      r.created_at
    from unnest(${metricIds}::uuid[]) as m(id)
    cross join lateral (
      select *
      from readings
      where metric_id = m.id
      order by at desc, id desc
      limit ${perMetric}
    ) r
    order by r.metric_id, r.at, r.id
  `;
  for (const row of rows) byMetric.get(row.metricId)?.push(row);
  return byMetric;
}
