import { describe, expect, it } from 'vitest';
import { checkMapping, readRow, suggestMapping } from '../../../../server/domain/import-mapping.ts';

describe('suggestMapping', () => {
  it('recognises the usual header names whatever their case and separators', () => {
    expect(suggestMapping(['Metric_Name', 'Date', 'Actual', 'Comments'])).toEqual({
      metric: 'Metric_Name',
      at: 'Date',
      value: 'Actual',
      note: 'Comments',
    });
  });

  it('leaves unknown columns unmapped and never maps one column twice', () => {
    expect(suggestMapping(['value', 'value', 'foo'])).toEqual({ value: 'value' });
  });
});

describe('checkMapping', () => {
  it('needs a value column and a metric column or a default metric', () => {
    expect(checkMapping({}, ['a'], false).map((p) => p.path)).toEqual(['value', 'metric']);
    expect(checkMapping({ value: 'a' }, ['a'], true)).toEqual([]);
  });

  it('refuses columns the file does not have', () => {
    expect(checkMapping({ value: 'amount', metric: 'kpi' }, ['amount'], false)).toEqual([
      { path: 'metric', message: 'the file has no column "kpi"' },
    ]);
  });
});

describe('readRow', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const context = {
    metricIdsByKey: new Map([
      ['fuel savings', 'm-1'],
      ['m-1', 'm-1'],
    ]),
    defaultMetricId: null,
    defaultSource: 'csv',
    now,
  };
  const mapping = { metric: 'kpi', value: 'v', at: 'date', note: 'n' };

  it('reads a metric by name, a number and a bare date as midnight UTC', () => {
    expect(readRow({ kpi: 'Fuel Savings', v: ' 12.5 ', date: '2026-11-01', n: '' }, mapping, context)).toEqual({
      ok: true,
      reading: { metricId: 'm-1', value: 12.5, at: new Date('2026-11-01T00:00:00Z'), source: 'csv', note: null },
    });
  });

  it('names every bad cell', () => {
    const result = readRow({ kpi: 'Unknown', v: 'n/a', date: 'last week' }, mapping, context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['metric', 'value', 'at']);
  });

  it('uses the default metric and now when those columns are absent', () => {
    const result = readRow({ v: '3' }, { value: 'v' }, { ...context, defaultMetricId: 'm-9' });
    expect(result).toEqual({ ok: true, reading: { metricId: 'm-9', value: 3, at: now, source: 'csv', note: null } });
  });

  it('rejects a cell with a NUL or another control character without quoting it back', () => {
    const result = readRow({ kpi: 'Fuel Savings', v: '1\u0000', date: '2026-11-01', n: 'a\u0000b' }, mapping, context);
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'value', message: expect.stringMatching(/control characters such as U\+0000/) },
        { path: 'note', message: expect.stringMatching(/control characters such as U\+0000/) },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('\\u0000');
  });

  it('keeps tabs and line breaks in a note', () => {
    const result = readRow({ kpi: 'Fuel Savings', v: '1', date: '2026-11-01', n: 'one\n\ttwo' }, mapping, context);
    expect(result.ok && result.reading.note).toBe('one\n\ttwo');
  });

  it('rejects a date before 1900 or more than a day after now', () => {
    for (const date of ['0000-01-01', '1899-12-31', '2026-11-26', '9999-12-31']) {
      const result = readRow({ kpi: 'Fuel Savings', v: '1', date }, mapping, context);
      expect(!result.ok && result.issues.map((i) => i.path), date).toEqual(['at']);
    }
  });
});
