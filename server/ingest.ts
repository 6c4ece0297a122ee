// Writes readings of many metrics: grouped per metric (one locked transaction each), duplicates within
// the request counted like retries, a new value at a known (at, source) a correction, and each metric's change
// published once.
import type { Sql } from './db/connect.ts';
import { publishMetricChange, type EventBus } from './events.ts';
import type { MetricRow } from './store/metrics.ts';
import { ingestReadings, type ReadingInput } from './store/readings.ts';

export interface MetricReading extends ReadingInput {
  metricId: string;
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
