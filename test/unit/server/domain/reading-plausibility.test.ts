import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asFieldIssue,
  boundsFieldProblems,
  boundsProblem,
  checkReading,
  JUMP_FACTOR,
  JUMP_WINDOW,
  jumpScale,
  MAX_MAGNITUDE,
  plausibleBounds,
  type PlausibilityMetric,
  type RecentReading,
} from '../../../../server/domain/reading-plausibility.ts';

const percent: PlausibilityMetric = {
  unit: 'percent',
  direction: 'higher',
  baseline: 0,
  target: 100,
  plausibleMin: null,
  plausibleMax: null,
};
const latency: PlausibilityMetric = {
  unit: 'duration',
  direction: 'lower',
  baseline: 1200,
  target: 300,
  plausibleMin: null,
  plausibleMax: null,
};
const DAY = 86_400_000;
const start = Date.parse('2026-11-01T00:00:00Z');
const series = (values: number[]): RecentReading[] =>
  values.map((value, index) => ({ at: new Date(start + index * DAY), source: 'bi', value }));
const next = (value: number, source = 'bi') => ({ at: new Date(start + 100 * DAY), source, value });

describe('reading plausibility', () => {
  it('keeps a percent metric between 0% and 100%, saying so in user terms', () => {
    expect(boundsProblem(percent, -50)).toBe('Readings of this metric must be between 0% and 100%');
    expect(boundsProblem(percent, 100.5)).toBe('Readings of this metric must be between 0% and 100%');
    expect(boundsProblem(percent, 0)).toBeUndefined();
    expect(boundsProblem(percent, 100)).toBeUndefined();
    expect(checkReading(percent, next(-50), series([40, 42, 45]))).toEqual({
      kind: 'out of bounds',
      message: 'Readings of this metric must be between 0% and 100%',
    });
  });

  it('lets a metric set its own bounds, replacing the percent default on the side it sets', () => {
    const growth = { ...percent, plausibleMin: -20, plausibleMax: 300 };
    expect(boundsProblem(growth, -10)).toBeUndefined();
    expect(boundsProblem(growth, 250)).toBeUndefined();
    expect(boundsProblem(growth, -21)).toBe('Readings of this metric must be between -20% and 300%');
    expect(plausibleBounds({ ...percent, plausibleMax: 150 })).toEqual({ min: 0, max: 150 });
    const money = { ...latency, unit: 'currency', currency: 'EUR', plausibleMin: 0 };
    expect(boundsProblem(money, -1)).toBe('Readings of this metric must be at least 0 EUR');
    expect(boundsProblem({ ...latency, plausibleMax: 5000 }, 5001)).toBe(
      'Readings of this metric must be at most 5,000',
    );
    expect(boundsProblem(latency, -5)).toBeUndefined();
  });

  it('words a refusal to follow the field’s name in lists of rejected rows', () => {
    expect(asFieldIssue('Readings of this metric must be between 0% and 100%')).toBe('must be between 0% and 100%');
    expect(asFieldIssue('This is far outside the recent readings (1 to 2)')).toBe(
      'is far outside the recent readings (1 to 2)',
    );
  });

  it('refuses absurd magnitudes for every unit', () => {
    for (const unit of ['number', 'currency', 'percent', 'duration']) {
      const metric = { ...latency, unit, plausibleMin: -1e300, plausibleMax: 1e300 };
      expect(boundsProblem(metric, 1e21)).toMatch(/too large to be a reading/);
      expect(boundsProblem(metric, -1e16)).toMatch(/too large to be a reading/);
    }
    expect(boundsProblem(latency, MAX_MAGNITUDE)).toBeUndefined();
  });

  it('asks to confirm a value far outside the recent readings, and names their range', () => {
    const recent = series([900, 950, 1000, 1100]);
    // scale = max(200, |300 − 1200| = 900) = 900: a jump is beyond 1100 + 3·900 or below 900 − 3·900.
    expect(jumpScale(latency, 900, 1100)).toBe(900);
    expect(checkReading(latency, next(3800), recent).kind).toBe('plausible');
    expect(checkReading(latency, next(3801), recent)).toMatchObject({
      kind: 'jump',
      low: 900,
      high: 1100,
      message: 'This is far outside the recent readings (900 to 1,100)',
    });
    expect(checkReading(latency, next(-1801), recent).kind).toBe('jump');
  });

  it('names values in the metric’s own unit label', () => {
    const inMs: PlausibilityMetric = { ...latency, unitLabel: 'ms', plausibleMax: 5000 };
    expect(checkReading(inMs, next(9000), series([900, 950, 1000]))).toMatchObject({
      message: 'Readings of this metric must be at most 5,000 ms',
    });
    expect(checkReading(inMs, next(4000), series([900, 950, 1000, 1100]))).toMatchObject({
      kind: 'jump',
      recent: '900 ms to 1,100 ms',
    });
  });

  it('judges no jump with fewer than three recent readings', () => {
    expect(checkReading(latency, next(1e9), series([1000, 1000])).kind).toBe('plausible');
  });

  it('leaves the corrected reading out of the series it is judged against', () => {
    const recent = series([1000, 1010, 1020, 1e7]);
    const typo = recent[3]!;
    expect(checkReading(latency, { ...typo, value: 1030 }, recent).kind).toBe('plausible');
  });

  it('looks only at the latest readings', () => {
    const old = series(Array.from({ length: 20 }, (_, i) => (i < 20 - JUMP_WINDOW ? 1e8 : 1000 + i)));
    expect(checkReading(latency, next(1e8), old).kind).toBe('jump');
  });

  it('checks a metric’s own bounds against each other and its plan', () => {
    expect(boundsFieldProblems({ ...latency, plausibleMin: 10, plausibleMax: 5 })).toEqual([
      { path: 'plausibleMax', message: 'must not be below the lowest plausible value (10)' },
    ]);
    expect(boundsFieldProblems({ ...percent, plausibleMin: 150 })).toEqual([
      { path: 'plausibleMin', message: 'must not be above the highest plausible value (100%)' },
    ]);
    expect(boundsFieldProblems({ ...latency, plausibleMax: 1000 })).toEqual([
      { path: 'plausibleMax', message: 'must leave room for the baseline (1,200)' },
    ]);
    expect(boundsFieldProblems({ ...latency, plausibleMin: 2e15 })[0]?.path).toBe('plausibleMin');
    expect(boundsFieldProblems({ ...latency, plausibleMin: 0, plausibleMax: 5000 })).toEqual([]);
    expect(boundsFieldProblems(percent)).toEqual([]);
  });

  const values = fc.double({ min: -1e6, max: 1e6, noNaN: true });

  it('never refuses a value within the recent readings’ range and the bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(values, { minLength: 3, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, share) => {
          const recent = series(raw);
          const window = raw.slice(-JUMP_WINDOW);
          const low = Math.min(...window);
          const high = Math.max(...window);
          const value = low + (high - low) * share;
          expect(checkReading(latency, next(value), recent).kind).toBe('plausible');
        },
      ),
    );
  });

  it('refuses every percent value outside 0–100 and accepts every one inside, with no series (property)', () => {
    fc.assert(
      fc.property(values, (value) => {
        const verdict = checkReading(percent, next(value), []);
        expect(verdict.kind).toBe(value < 0 || value > 100 ? 'out of bounds' : 'plausible');
      }),
    );
  });

  it('calls a value a jump exactly when it is more than JUMP_FACTOR scales away (property)', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 3, maxLength: 12 }), values, (raw, value) => {
        const low = Math.min(...raw);
        const high = Math.max(...raw);
        const reach = JUMP_FACTOR * jumpScale(latency, low, high);
        const isJump = value < low - reach || value > high + reach;
        expect(checkReading(latency, next(value), series(raw)).kind).toBe(isJump ? 'jump' : 'plausible');
        // Further out in the same direction stays a jump.
        if (isJump) {
          const further = value > high ? value + reach : value - reach;
          expect(checkReading(latency, next(further), series(raw)).kind).toBe('jump');
        }
      }),
    );
  });
});
