// Where metrics stand now: each metric's latest readings held to its plan (domain/slip.ts), stale once its latest
// reading is too old for its reporting frequency (domain/staleness.ts). Read by the portfolio views and triage.
import type { Sql } from '../db/connect.ts';
import { assessMetric, TREND_WINDOW, type MetricAssessment } from '../domain/slip.ts';
import { assessedAt } from '../domain/staleness.ts';
import type { MetricRow } from '../store/metrics.ts';
import { recentReadingsByMetric, type ReadingRow } from '../store/readings.ts';

export interface AssessedMetric {
  row: MetricRow;
  assessment: MetricAssessment;
  /** The latest readings the assessment used (at least TREND_WINDOW, or `history`), oldest first. */
  recent: ReadingRow[];
}

/** The metrics' assessment at `now`, in one query for all their readings. */
export async function assessMetrics(
  sql: Sql,
  rows: readonly MetricRow[],
  now: Date,
  history = 0,
): Promise<AssessedMetric[]> {
  const readings = await recentReadingsByMetric(
    sql,
    rows.map((row) => row.id),
    Math.max(history, TREND_WINDOW),
  );
  return rows.map((row) => {
    const recent = readings.get(row.id) ?? [];
    return { row, assessment: assessedAt(assessMetric(row, recent), row.frequency, now), recent };
  });
}
