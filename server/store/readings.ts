// Readings of a metric as stored: one per (metric, at, source), a correction's old value kept in the reading's
// history; reading them back. Writing them (under the metric's lock, re-assessing it) is reading-writes.ts.
import type { Db } from '../db/connect.ts';

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

/** What a reading's history records: a correction replaced its value, or it was deleted. */
export type ReadingChange = 'corrected' | 'deleted';

export interface ReadingHistoryRow {
  change: ReadingChange;
  /** The value and note the reading had before the change. */
  value: number;
  note: string | null;
  changedBy: string | null;
  changedAt: Date;
}

/** A reading of a metric (undefined: none, or deleted). */
export async function findReading(sql: Db, metricId: string, readingId: string): Promise<ReadingRow | undefined> {
  const [row] = await sql<ReadingRow[]>`
    select
      id::text,
      metric_id,
      at,
      value,
      source,
      note,
      created_at
    from readings
    where metric_id = ${metricId} and id = ${readingId}
  `;
  return row;
}

/** What a reading of a metric was before each correction, and its deletion if deleted; oldest first. */
export async function readingHistory(sql: Db, metricId: string, readingId: string): Promise<ReadingHistoryRow[]> {
  return sql<ReadingHistoryRow[]>`
    select
      change,
      value,
      note,
      changed_by,
      changed_at
    from reading_history
    where metric_id = ${metricId} and reading_id = ${readingId}
    order by id
  `;
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
