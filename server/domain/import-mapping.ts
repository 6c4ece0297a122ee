// Which CSV column feeds which reading field: suggested from the header names, checked before an import starts.
import { controlCharacterProblem, readingTimeProblem } from './plausible-input.ts';

export const IMPORT_FIELDS = ['metric', 'value', 'at', 'source', 'note'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportMapping = Partial<Record<ImportField, string>>;

const SYNONYMS: Record<ImportField, string[]> = {
  metric: ['metric', 'metric id', 'metricid', 'metric name', 'kpi', 'measure'],
  value: ['value', 'reading', 'amount', 'actual', 'val'],
  at: ['at', 'date', 'time', 'timestamp', 'datetime', 'day', 'week', 'measured at', 'recorded at'],
  source: ['source', 'system', 'origin'],
  note: ['note', 'notes', 'comment', 'comments', 'remark'],
};

const normalise = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ');

/** The first header matching each field's usual names; a header feeds at most one field. */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const used = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const match = headers.find((header) => !used.has(header) && SYNONYMS[field].includes(normalise(header)));
    if (match !== undefined) {
      mapping[field] = match;
      used.add(match);
    }
  }
  return mapping;
}

/** Problems with a mapping against the file's headers; empty when it can run. */
export function checkMapping(
  mapping: ImportMapping,
  headers: readonly string[],
  hasDefaultMetric: boolean,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!mapping.value) problems.push({ path: 'value', message: 'choose the column that holds the values' });
  if (!mapping.metric && !hasDefaultMetric)
    problems.push({ path: 'metric', message: 'choose the metric column, or one metric for every row' });
  for (const field of IMPORT_FIELDS) {
    const column = mapping[field];
    if (column !== undefined && !headers.includes(column))
      problems.push({ path: field, message: `the file has no column "${column}"` });
  }
  return problems;
}

export interface ImportedReading {
  metricId: string;
  value: number;
  at: Date;
  source: string;
  note: string | null;
}

export type RowResult =
  { ok: true; reading: ImportedReading } | { ok: false; issues: { path: string; message: string }[] };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One CSV record as a reading: the metric by id or by name (case-insensitive), a finite number, an
 * ISO date or date-time (a bare date is midnight UTC; no time gives `now`) from 1900 to a day (or `futureToleranceMs`) after `now`.
 * A cell with a control character (a NUL cannot be stored) rejects its row without being quoted back.
 */
export function readRow(
  record: Record<string, string | undefined>,
  mapping: ImportMapping,
  context: {
    metricIdsByKey: ReadonlyMap<string, string>;
    defaultMetricId: string | null;
    defaultSource: string;
    now: Date;
    /** How far ahead of `now` a reading may be dated (READING_FUTURE_TOLERANCE_HOURS); a day unless given. */
    futureToleranceMs?: number;
  },
): RowResult {
  const issues: { path: string; message: string }[] = [];
  const cell = (field: ImportField) => (mapping[field] === undefined ? '' : (record[mapping[field]] ?? '').trim());
  const controls = IMPORT_FIELDS.flatMap((field) => {
    const message = controlCharacterProblem(cell(field), { multiline: field === 'note' });
    return message ? [{ path: field, message }] : [];
  });
  if (controls.length) return { ok: false, issues: controls };

  const metricKey = cell('metric');
  const metricId = metricKey ? context.metricIdsByKey.get(metricKey.toLowerCase()) : context.defaultMetricId;
  if (!metricId)
    issues.push({ path: 'metric', message: metricKey ? `no metric "${metricKey}" in this organization` : 'is empty' });

  const rawValue = cell('value');
  const value = rawValue === '' ? Number.NaN : Number(rawValue);
  if (!Number.isFinite(value))
    issues.push({ path: 'value', message: rawValue === '' ? 'is empty' : `"${rawValue}" is not a number` });

  const rawAt = cell('at');
  const at = rawAt === '' ? context.now : new Date(ISO_DATE.test(rawAt) ? `${rawAt}T00:00:00Z` : rawAt);
  if (Number.isNaN(at.getTime()))
    issues.push({ path: 'at', message: `"${rawAt}" is not a date (use 2026-11-24 or an ISO date-time)` });
  else {
    const problem = readingTimeProblem(at, context.now, context.futureToleranceMs);
    if (problem) issues.push({ path: 'at', message: problem });
  }

  const source = cell('source') || context.defaultSource;
  const note = cell('note') || null;
  if (source.length > 100) issues.push({ path: 'source', message: 'must be at most 100 characters' });
  if (note !== null && note.length > 1000) issues.push({ path: 'note', message: 'must be at most 1000 characters' });

  if (issues.length) return { ok: false, issues };
  return { ok: true, reading: { metricId: metricId!, value, at, source, note } };
}
