import { describe, expect, it } from 'vitest';
import { figuresAt } from '../../../src/lib/board/figures-at.ts';

// Savings planned from 0 to 100 over 2026, read weekly.
const metric = {
  direction: 'higher' as const,
  baseline: 0,
  target: 100,
  startAt: '2026-01-01T00:00:00.000Z',
  targetAt: '2027-01-01T00:00:00.000Z',
  rangeMin: null,
  rangeMax: null,
  slipThreshold: 0.15,
  frequency: 'weekly' as const,
};
const readings = [
  { at: '2026-07-01T00:00:00.000Z', value: 40 },
  { at: '2026-07-08T00:00:00.000Z', value: 41 },
  { at: '2026-07-15T00:00:00.000Z', value: 42 },
  { at: '2026-07-22T00:00:00.000Z', value: 43 },
  // After the close: a recovery the closed review never saw.
  { at: '2026-07-29T00:00:00.000Z', value: 60 },
];
const closedAt = new Date('2026-07-23T12:00:00.000Z');

describe('figures at the close of a review', () => {
  it('leaves out the readings that came after the close', () => {
    const figures = figuresAt(metric, readings, closedAt, true)!;
    expect(figures.assessment.latest).toEqual({ at: '2026-07-22T00:00:00.000Z', value: 43 });
    expect(figures.assessment.status).toBe('at risk');
    expect(figures.assessment.slip).toBeGreaterThan(0.1);
    expect(figures.history.map((r) => r.value)).toEqual([40, 41, 42, 43]);
    const now = figuresAt(metric, readings, new Date('2026-07-30T00:00:00.000Z'), true)!;
    expect(now.assessment.latest?.value).toBe(60);
    expect(now.assessment.slip!).toBeLessThan(figures.assessment.slip!);
  });

  it('says stale when the latest reading was already too old at the close', () => {
    const late = figuresAt(metric, readings.slice(0, 1), closedAt, true)!;
    expect(late.assessment.status).toBe('stale');
    expect(late.assessment.staleSince).not.toBeNull();
  });

  it('has no data for a metric first read after the close', () => {
    expect(figuresAt(metric, readings.slice(4), closedAt, true)!.assessment.status).toBe('no data');
  });

  it('gives up when the readings it has do not reach back to the close', () => {
    expect(figuresAt(metric, readings.slice(3), closedAt, false)).toBeNull();
    expect(figuresAt(metric, readings, closedAt, false)).not.toBeNull();
  });
});
