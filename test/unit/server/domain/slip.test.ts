import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessMetric,
  plannedValue,
  slipAt,
  statusForSlip,
  trendOf,
  worstStatus,
  type MetricPlan,
  type Status,
} from '../../../../server/domain/slip.ts';

const start = new Date('2026-01-01T00:00:00Z');
const end = new Date('2026-12-31T00:00:00Z');
const mid = new Date((start.getTime() + end.getTime()) / 2);
const DAY = 86_400_000;

const fuelSavings: MetricPlan = {
  direction: 'higher',
  baseline: 0,
  target: 100,
  startAt: start,
  targetAt: end,
  slipThreshold: 0.15,
};

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const instant = fc
  .integer({ min: start.getTime() - 200 * DAY, max: end.getTime() + 200 * DAY })
  .map((ms) => new Date(ms));
const plan = fc.record({
  direction: fc.constantFrom('higher' as const, 'lower' as const),
  baseline: finite,
  target: finite,
  startAt: fc.constant(start),
  targetAt: fc.constant(end),
  slipThreshold: fc.double({ min: 0.01, max: 1, noNaN: true }),
});

describe('slipAt', () => {
  it('is 18% when a savings metric is 18 points short of its plan at mid-year', () => {
    expect(slipAt(fuelSavings, { at: mid, value: 32 })).toBeCloseTo(0.18, 10);
    expect(statusForSlip(0.18, 0.15)).toBe('off track');
  });

  it('is zero on the plan and negative ahead of it', () => {
    expect(slipAt(fuelSavings, { at: mid, value: 50 })).toBeCloseTo(0, 10);
    expect(slipAt(fuelSavings, { at: mid, value: 60 })).toBeCloseTo(-0.1, 10);
  });

  it('holds the plan at the baseline before the start and at the target after the target date', () => {
    expect(plannedValue(fuelSavings, new Date(start.getTime() - 30 * DAY))).toBe(0);
    expect(plannedValue(fuelSavings, new Date(end.getTime() + 30 * DAY))).toBe(100);
    expect(slipAt(fuelSavings, { at: new Date(end.getTime() + 30 * DAY), value: 80 })).toBeCloseTo(0.2, 10);
  });

  it('measures a hold-the-line metric (target equals baseline) against the baseline', () => {
    const uptime: MetricPlan = { ...fuelSavings, baseline: 99, target: 99 };
    expect(slipAt(uptime, { at: mid, value: 99 })).toBe(0);
    expect(slipAt(uptime, { at: mid, value: 89.1 })).toBeCloseTo(0.1, 10);
  });

  it('measures a stay-within-range metric by its distance outside the band', () => {
    const temperature: MetricPlan = {
      ...fuelSavings,
      direction: 'range',
      baseline: 4,
      target: 4,
      rangeMin: 2,
      rangeMax: 8,
    };
    expect(slipAt(temperature, { at: mid, value: 5 })).toBeLessThan(0);
    expect(slipAt(temperature, { at: mid, value: 9.2 })).toBeCloseTo(0.2, 10);
    expect(slipAt(temperature, { at: mid, value: 0.8 })).toBeCloseTo(0.2, 10);
  });

  it('is symmetric between directions: a lower-is-better metric is the mirror of a higher-is-better one', () => {
    fc.assert(
      fc.property(finite, finite, finite, instant, (baseline, target, value, at) => {
        const higher: MetricPlan = { ...fuelSavings, direction: 'higher', baseline, target };
        const lower: MetricPlan = { ...fuelSavings, direction: 'lower', baseline: -baseline, target: -target };
        const a = slipAt(higher, { at, value });
        const b = slipAt(lower, { at, value: -value });
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
      }),
    );
  });

  it('grows as the value moves the wrong way, and never depends on anything but plan, time and value', () => {
    fc.assert(
      fc.property(plan, instant, finite, fc.double({ min: 0.001, max: 1e5, noNaN: true }), (p, at, value, delta) => {
        const worse = p.direction === 'higher' ? value - delta : value + delta;
        expect(slipAt(p, { at, value: worse })).toBeGreaterThanOrEqual(slipAt(p, { at, value }));
      }),
    );
  });

  it('is always a finite number', () => {
    fc.assert(
      fc.property(plan, instant, finite, (p, at, value) => {
        expect(Number.isFinite(slipAt(p, { at, value }))).toBe(true);
      }),
    );
  });
});

describe('statusForSlip', () => {
  it('uses half the threshold for at risk and the threshold for off track', () => {
    expect(statusForSlip(0.074, 0.15)).toBe('on track');
    expect(statusForSlip(0.075, 0.15)).toBe('at risk');
    expect(statusForSlip(0.149, 0.15)).toBe('at risk');
    expect(statusForSlip(0.15, 0.15)).toBe('off track');
    expect(statusForSlip(null, 0.15)).toBe('no data');
  });

  it('never gets better as slip grows', () => {
    const rank: Record<Exclude<Status, 'stale'>, number> = {
      'no data': -1,
      'on track': 0,
      'at risk': 1,
      'off track': 2,
    };
    fc.assert(
      fc.property(finite, finite, fc.double({ min: 0.01, max: 1, noNaN: true }), (a, b, threshold) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(rank[statusForSlip(high, threshold)]).toBeGreaterThanOrEqual(rank[statusForSlip(low, threshold)]);
      }),
    );
  });
});

describe('assessMetric', () => {
  it('says no data without readings', () => {
    expect(assessMetric(fuelSavings, [])).toEqual({ status: 'no data', slip: null, latest: null, trend: 'unknown' });
  });

  it('judges one reading, with an unknown trend', () => {
    const result = assessMetric(fuelSavings, [{ at: mid, value: 32 }]);
    expect(result.status).toBe('off track');
    expect(result.trend).toBe('unknown');
  });

  it('uses the latest reading by time, whatever order readings arrive in', () => {
    const readings = [
      { at: new Date(start.getTime() + 30 * DAY), value: 9 },
      { at: mid, value: 32 },
      { at: new Date(start.getTime() + 60 * DAY), value: 17 },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(readings, { minLength: 3, maxLength: 3 }), (shuffled) => {
        const result = assessMetric(fuelSavings, shuffled);
        expect(result.latest).toEqual(readings[1]);
        expect(result.trend).toBe('worsening');
        expect(result).toEqual(assessMetric(fuelSavings, readings));
      }),
    );
  });
});

describe('trendOf', () => {
  it('calls falling slip improving and tiny changes steady', () => {
    const at = (days: number) => new Date(start.getTime() + days * DAY);
    expect(
      trendOf(fuelSavings, [
        { at: at(100), value: 10 },
        { at: at(130), value: 40 },
      ]),
    ).toBe('improving');
    expect(
      trendOf(fuelSavings, [
        { at: at(100), value: 27.4 },
        { at: at(101), value: 27.7 },
      ]),
    ).toBe('steady');
  });
});

describe('worstStatus', () => {
  it('picks the worst and ignores no data', () => {
    expect(worstStatus(['on track', 'no data', 'at risk'])).toBe('at risk');
    expect(worstStatus(['no data'])).toBe('no data');
    expect(worstStatus([])).toBe('no data');
  });
});
