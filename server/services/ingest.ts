// The one way readings come in, whoever sends them (a data source or a person through the API, one reading or a
// batch, a CSV import): each row is held to the plausibility rule (domain/reading-plausibility.ts), the plausible
// ones are written per metric (one locked transaction each; the same (at, source) twice in one request counts
// once, like a retry; a new value at a known (at, source) is a correction), and each metric's change is published
// once (metric-changes.ts).
import type { Sql } from '../db/connect.ts';
import type { EventBus } from '../domain/events.ts';
import { asFieldIssue, checkReading, JUMP_WINDOW, type RecentReading } from '../domain/reading-plausibility.ts';
import type { MetricRow } from '../store/metrics.ts';
import {
  ingestReading,
  ingestReadings,
  type KeyedIngest,
  type ReadingOutcome,
  type StoredAnswer,
} from '../store/reading-writes.ts';
import { recentReadingsByMetric, type ReadingInput } from '../store/readings.ts';
import { publishMetricChange } from './metric-changes.ts';

export interface MetricReading extends ReadingInput {
  metricId: string;
  /** The sender confirms a value far outside the metric's recent readings. */
  confirmJump?: boolean;
}

/** Why a row was not written: a value the metric cannot take, or an unconfirmed jump; `message` is a sentence. */
export interface Refusal {
  kind: 'out of bounds' | 'jump';
  message: string;
}

/**
 * A reading sent on its own: it is answered from inside its write, so that the answer can be kept with its
 * Idempotency-Key and a retry gets it back (store/readings.ts ingestReading).
 */
export interface SingleReading {
  idempotency?: { key: string; fingerprint: string };
  respond: (outcome: ReadingOutcome) => StoredAnswer;
}

export interface IngestReport {
  accepted: number;
  corrected: number;
  duplicates: number;
  /** The rows not written, by their index in the rows sent. */
  refused: Map<number, Refusal>;
  /** For a single reading: what its write answered (undefined when it was refused or its metric is gone). */
  single?: KeyedIngest;
}

export interface IngestDeps {
  sql: Sql;
  events: EventBus;
  now: () => Date;
}

/**
 * Takes in readings of `metrics` (rows of other metrics are left to the caller, who knows what to say of them):
 * refuses the implausible ones, writes the others and publishes what changed. With `single`, `rows` is one reading.
 */
export async function ingest(
  deps: IngestDeps,
  metrics: ReadonlyMap<string, MetricRow>,
  rows: readonly MetricReading[],
  options: { changedBy: string | null; single?: SingleReading },
): Promise<IngestReport> {
  const refused = await findImplausible(deps.sql, metrics, rows);
  const writable = rows.filter((row, index) => metrics.has(row.metricId) && !refused.has(index));
  const report: IngestReport = { accepted: 0, corrected: 0, duplicates: 0, refused };
  const byMetric = new Map<string, MetricReading[]>();
  for (const row of writable) byMetric.set(row.metricId, [...(byMetric.get(row.metricId) ?? []), row]);
  for (const [metricId, readings] of byMetric) {
    const metric = metrics.get(metricId)!;
    const written = options.single
      ? await writeSingle(deps, metricId, readings, options.changedBy, options.single, report)
      : await ingestReadings(deps.sql, metricId, readings, deps.now(), { changedBy: options.changedBy });
    if (!written) continue;
    report.accepted += written.accepted;
    report.corrected += written.corrected;
    report.duplicates += written.duplicates;
    if (written.accepted + written.corrected > 0) publishMetricChange(deps.events, metric, written, deps.now());
  }
  return report;
}

async function writeSingle(
  deps: IngestDeps,
  metricId: string,
  readings: readonly MetricReading[],
  changedBy: string | null,
  single: SingleReading,
  report: IngestReport,
): Promise<ReadingOutcome | undefined> {
  if (readings.length !== 1) throw new Error('A single reading is one row');
  const result = await ingestReading(deps.sql, metricId, readings[0]!, deps.now(), { changedBy, ...single });
  report.single = result;
  return result?.kind === 'answered' ? result.outcome : undefined;
}

/** A refusal as an issue of the row's `value`; `jumpHint` tells the sender how to confirm a jump. */
export function refusalIssue(refusal: Refusal, jumpHint: string): { path: 'value'; message: string } {
  const message = asFieldIssue(refusal.message);
  return { path: 'value', message: refusal.kind === 'jump' ? `${message}: ${jumpHint}` : message };
}

/**
 * The rows that may not be written, by their index in `rows`: out of the metric's bounds, or a jump far outside its
 * recent readings that the row does not confirm. The recent readings are those stored plus the rows before this one
 * that pass, so a file or batch that climbs steadily is judged step by step.
 */
async function findImplausible(
  sql: Sql,
  metrics: ReadonlyMap<string, MetricRow>,
  rows: readonly MetricReading[],
): Promise<Map<number, Refusal>> {
  const ids = [...new Set(rows.map((row) => row.metricId))].filter((id) => metrics.has(id));
  const recent: Map<string, RecentReading[]> = await recentReadingsByMetric(sql, ids, JUMP_WINDOW);
  const refused = new Map<number, Refusal>();
  rows.forEach((row, index) => {
    const metric = metrics.get(row.metricId);
    if (!metric) return;
    const series = recent.get(row.metricId) ?? [];
    const verdict = checkReading(metric, row, series);
    if (verdict.kind === 'out of bounds') refused.set(index, { kind: 'out of bounds', message: verdict.message });
    else if (verdict.kind === 'jump' && !row.confirmJump)
      refused.set(index, { kind: 'jump', message: verdict.message });
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
