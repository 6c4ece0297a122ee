// Writes readings of many metrics: grouped per metric (one locked transaction each), duplicates within
// the request counted like retries, a new value at a known (at, source) a correction, and each metric's change
// published once. Before writing, rows are held to the plausibility rule (domain/reading-plausibility.ts).
import type { Sql } from './db/connect.ts';
import { asFieldIssue, checkReading, JUMP_WINDOW, type RecentReading } from './domain/reading-plausibility.ts';
import { publishMetricChange, type EventBus } from './events.ts';
import type { MetricRow } from './store/metrics.ts';
import { ingestReadings, recentReadingsByMetric, type ReadingInput } from './store/readings.ts';

export interface MetricReading extends ReadingInput {
  metricId: string;
}

/**
 * The rows that may not be written, by their index in `rows`, with the reason on `value`: out of the metric's
 * bounds, or a jump far outside its recent readings that the row does not confirm. The recent readings are those
 * stored plus the rows before this one that pass, so a file or batch that climbs steadily is judged step by step.
 * `jumpHint` tells the sender how to confirm a jump. Rows of unknown metrics are left to the caller.
 */
export async function findImplausible(
  sql: Sql,
  metrics: ReadonlyMap<string, MetricRow>,
  rows: readonly (MetricReading & { confirmJump?: boolean })[],
  jumpHint: string,
): Promise<Map<number, { path: 'value'; message: string }>> {
  const ids = [...new Set(rows.map((row) => row.metricId))].filter((id) => metrics.has(id));
  const recent: Map<string, RecentReading[]> = await recentReadingsByMetric(sql, ids, JUMP_WINDOW);
  const refused = new Map<number, { path: 'value'; message: string }>();
  rows.forEach((row, index) => {
    const metric = metrics.get(row.metricId);
    if (!metric) return;
    const series = recent.get(row.metricId) ?? [];
    const verdict = checkReading(metric, row, series);
    if (verdict.kind === 'out of bounds') refused.set(index, { path: 'value', message: asFieldIssue(verdict.message) });
    else if (verdict.kind === 'jump' && !row.confirmJump)
      refused.set(index, { path: 'value', message: `${asFieldIssue(verdict.message)}: ${jumpHint}` });
    else recent.set(row.metricId, withReading(series, row));
  });
  return refused;
}

/** The latest JUMP_WINDOW readings by time once `reading` is written (replacing one at its time and source). */
function withReading(series: readonly RecentReading[], reading: RecentReading): RecentReading[] {
  const at = reading.at.getTime();
  return [...series.filter((r) => !(r.at.getTime() === at && r.source === reading.source)), reading]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, JUMP_WINDOW);
}

export async function ingestByMetric(
  deps: { sql: Sql; events: EventBus; now: () => Date },
  metrics: ReadonlyMap<string, MetricRow>,
  rows: readonly MetricReading[],
  changedBy: string | null = null,
): Promise<{ accepted: number; corrected: number; duplicates: number }> {
  const byMetric = new Map<string, MetricReading[]>();
  for (const row of rows) byMetric.set(row.metricId, [...(byMetric.get(row.metricId) ?? []), row]);
  let accepted = 0;
  let corrected = 0;
  let duplicates = 0;
  for (const [metricId, readings] of byMetric) {
    const metric = metrics.get(metricId);
    if (!metric) continue;
    // The same (at, source) twice in one request counts once (the last value wins), as a retry would.
    const unique = [...new Map(readings.map((r) => [`${r.at.toISOString()}|${r.source}`, r])).values()];
    const result = await ingestReadings(deps.sql, metricId, unique, deps.now(), { changedBy });
    if (!result) continue;
    accepted += result.accepted;
    corrected += result.corrected;
    duplicates += readings.length - result.accepted - result.corrected;
    if (result.accepted + result.corrected > 0) {
      const { status, slip, trend } = result.after;
      publishMetricChange(deps.events, metric, { previousStatus: result.before, status, slip, trend }, deps.now());
    }
  }
  return { accepted, corrected, duplicates };
}
