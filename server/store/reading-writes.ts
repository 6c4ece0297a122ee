// Writing readings of a metric: inserts, corrections, deletions and keyed (idempotent) posts, each in one
// transaction that locks the metric row and re-assesses it, so concurrent writers see each other's status and a
// threshold crossing is reported exactly once.
import { transaction, type Db } from '../db/connect.ts';
import { assessMetric, TREND_WINDOW, type MetricAssessment, type MetricPlan, type Status } from '../domain/slip.ts';
import { recentReadings, type ReadingInput, type ReadingRow } from './readings.ts';

export interface IngestResult {
  /** Readings new to the metric. */
  accepted: number;
  /** Readings that replaced the value at the same (at, source); the old value went to the reading's history. */
  corrected: number;
  /** Readings already recorded with the same value (retries): nothing changed. */
  duplicates: number;
  before: Status;
  after: MetricAssessment;
}

type MetricToAssess = MetricPlan & { lastStatus: Status };

/** Locks the metric row (every reading write takes this lock first), or undefined if there is no such metric. */
async function lockMetric(tx: Db, metricId: string): Promise<MetricToAssess | undefined> {
  const [metric] = await tx<MetricToAssess[]>`
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
  return metric;
}

/** Re-assesses a locked metric from its latest readings and records the status. */
async function reassess(tx: Db, metricId: string, metric: MetricToAssess, now: Date): Promise<MetricAssessment> {
  const recent = await recentReadings(tx, metricId, TREND_WINDOW);
  const after = assessMetric(metric, recent);
  await tx`
    update metrics
    set
      last_status = ${after.status},
      updated_at = ${now}
    where id = ${metricId}
  `;
  return after;
}

/** The same (at, source) twice counts once, the last one winning, as if sent one after the other. */
function lastPerKey(readings: readonly ReadingInput[]): ReadingInput[] {
  return [...new Map(readings.map((r) => [`${r.at.toISOString()}|${r.source}`, r])).values()];
}

/**
 * Writes readings of a locked metric: new (at, source) pairs are inserted; a known pair with another value is a
 * correction (the old value and note go to the history, the new ones replace them); the same value changes nothing.
 */
async function writeLocked(
  tx: Db,
  metricId: string,
  readings: readonly ReadingInput[],
  changedBy: string | null,
  now: Date,
): Promise<{ accepted: number; corrected: number; duplicates: number }> {
  const ats = readings.map((r) => r.at.toISOString());
  const values = readings.map((r) => r.value);
  const sources = readings.map((r) => r.source);
  const corrected = await tx`
    insert into reading_history (metric_id, reading_id, change, at, source, value, note, changed_by, changed_at)
    select r.metric_id, r.id, 'corrected', r.at, r.source, r.value, r.note, ${changedBy}, ${now}
    from readings r
    join unnest(${ats}::timestamptz[], ${values}::float8[], ${sources}::text[]) as i(at, value, source)
      on r.at = i.at and r.source = i.source
    where r.metric_id = ${metricId} and r.value <> i.value
  `;
  const written = await tx`
    insert into readings (metric_id, at, value, source, note)
    select ${metricId}, r.at, r.value, r.source, r.note
    from unnest(
      ${ats}::timestamptz[],
      ${values}::float8[],
      ${sources}::text[],
      ${readings.map((r) => r.note)}::text[]
    ) as r(at, value, source, note)
    on conflict (metric_id, at, source) do update
    set
      value = excluded.value,
      note = excluded.note
    where readings.value <> excluded.value
    returning id
  `;
  return {
    accepted: written.length - corrected.count,
    corrected: corrected.count,
    duplicates: readings.length - written.length,
  };
}

/**
 * Writes readings of one metric and re-assesses it, in one transaction that locks the metric row,
 * so concurrent writers see each other's status and a threshold crossing is reported exactly once.
 * The same (metric, at, source) with a new value is a correction (see writeLocked).
 */
export async function ingestReadings(
  sql: Db,
  metricId: string,
  readings: ReadingInput[],
  now: Date,
  options: { changedBy?: string | null } = {},
): Promise<IngestResult | undefined> {
  return transaction(sql, async (tx) => {
    const metric = await lockMetric(tx, metricId);
    if (!metric) return undefined;
    const unique = lastPerKey(readings);
    const counts = await writeLocked(tx, metricId, unique, options.changedBy ?? null, now);
    const after = await reassess(tx, metricId, metric, now);
    return {
      ...counts,
      duplicates: readings.length - counts.accepted - counts.corrected,
      before: metric.lastStatus,
      after,
    };
  });
}

/** How long an Idempotency-Key of a reading POST is remembered. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600_000;

/** An answer as sent, kept for the retries of a keyed request. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface ReadingOutcome extends IngestResult {
  /** The reading as stored now (for a retry, the one recorded before). */
  reading: ReadingRow;
}

export type KeyedIngest =
  /** Written (or found a retry by its time and source); `answer` is what `respond` made of it. */
  | { kind: 'answered'; outcome: ReadingOutcome; answer: StoredAnswer }
  /** The key was used for this request before: its first answer, nothing written. */
  | { kind: 'replayed'; answer: StoredAnswer }
  /** The key was used for another request (another body): nothing written. */
  | { kind: 'key reused' };

/**
 * Writes one reading like ingestReadings, honouring an Idempotency-Key: under the metric's lock, a key seen for
 * this metric in the last 24 hours gives back its first answer (same fingerprint) or is refused (another one);
 * otherwise the reading is written and `respond`'s answer kept with the key, in the same transaction, so that
 * concurrent retries on any process store the reading once.
 */
export async function ingestReading(
  sql: Db,
  metricId: string,
  reading: ReadingInput,
  now: Date,
  options: {
    changedBy: string | null;
    idempotency?: { key: string; fingerprint: string };
    respond: (outcome: ReadingOutcome) => StoredAnswer;
  },
): Promise<KeyedIngest | undefined> {
  return transaction(sql, async (tx) => {
    const metric = await lockMetric(tx, metricId);
    if (!metric) return undefined;
    const { idempotency } = options;
    const since = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS);
    if (idempotency) {
      // Kept as text: neither jsonb's key order nor the pool's camelCase transform touches the answer.
      const [seen] = await tx<{ fingerprint: string; status: number; body: string }[]>`
        select
          fingerprint,
          status,
          body
        from reading_idempotency_keys
        where metric_id = ${metricId} and key = ${idempotency.key} and created_at > ${since}
      `;
      if (seen && seen.fingerprint !== idempotency.fingerprint) return { kind: 'key reused' };
      if (seen) return { kind: 'replayed', answer: { status: seen.status, body: JSON.parse(seen.body) as unknown } };
    }
    const counts = await writeLocked(tx, metricId, [reading], options.changedBy, now);
    const after = await reassess(tx, metricId, metric, now);
    const [stored] = await tx<ReadingRow[]>`
      select
        id::text,
        metric_id,
        at,
        value,
        source,
        note,
        created_at
      from readings
      where metric_id = ${metricId} and at = ${reading.at} and source = ${reading.source}
    `;
    const outcome: ReadingOutcome = { ...counts, before: metric.lastStatus, after, reading: stored! };
    const answer = options.respond(outcome);
    if (idempotency) {
      // Keys past their 24 hours are forgotten as the metric's readings are written.
      await tx`
        delete from reading_idempotency_keys
        where metric_id = ${metricId} and created_at <= ${since}
      `;
      await tx`
        insert into reading_idempotency_keys (metric_id, key, fingerprint, status, body, created_at)
        values (
          ${metricId},
          ${idempotency.key},
          ${idempotency.fingerprint},
          ${answer.status},
          ${JSON.stringify(answer.body)},
          ${now}
        )
      `;
    }
    return { kind: 'answered', outcome, answer };
  });
}

export type DeleteOutcome = { deleted: ReadingRow; before: Status; after: MetricAssessment };

/**
 * Deletes one reading of a metric, keeping it in the reading's history, and re-assesses the metric under its lock
 * (as a new reading would). Undefined: no such metric, or no such reading of it.
 */
export async function deleteReading(
  sql: Db,
  metricId: string,
  readingId: string,
  changedBy: string | null,
  now: Date,
): Promise<DeleteOutcome | undefined> {
  return transaction(sql, async (tx) => {
    const metric = await lockMetric(tx, metricId);
    if (!metric) return undefined;
    const [deleted] = await tx<ReadingRow[]>`
      delete from readings
      where metric_id = ${metricId} and id = ${readingId}
      returning id::text, metric_id, at, value, source, note, created_at
    `;
    if (!deleted) return undefined;
    await tx`
      insert into reading_history (metric_id, reading_id, change, at, source, value, note, changed_by, changed_at)
      values (
        ${metricId},
        ${readingId},
        'deleted',
        ${deleted.at},
        ${deleted.source},
        ${deleted.value},
        ${deleted.note},
        ${changedBy},
        ${now}
      )
    `;
    const after = await reassess(tx, metricId, metric, now);
    return { deleted, before: metric.lastStatus, after };
  });
}
