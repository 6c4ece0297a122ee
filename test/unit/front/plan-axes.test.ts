import { describe, expect, it } from 'vitest';
import { timeTicks, valueDomain, valueTicks } from '../../../src/lib/charts/plan-axes.ts';
import { formatAxisValue, formatValue } from '../../../src/lib/format.ts';

describe('valueDomain', () => {
  it('keeps zero as the floor when every real value is at or above it, whatever the bands', () => {
    // Fuel savings from 0 to 300K: the off-track band below the plan would reach -67.5K.
    expect(valueDomain({ values: [0, 300_000, 120_000], context: [-67_500, 232_500], unit: 'currency' })).toEqual([
      0, 300_000,
    ]);
  });

  it('lets a metric that really goes negative go below zero', () => {
    expect(valueDomain({ values: [-20, 10], context: [-30], unit: 'number' })[0]).toBe(-30);
  });

  it('keeps a percent metric within 0-100 when its values are', () => {
    expect(valueDomain({ values: [40, 95], context: [110, 25], unit: 'percent' })).toEqual([25, 100]);
  });

  it('opens a range around a metric that never moved', () => {
    const [low, high] = valueDomain({ values: [50, 50], context: [], unit: 'number' });
    expect(low).toBeLessThan(50);
    expect(high).toBeGreaterThan(50);
  });
});

describe('valueTicks', () => {
  it('gives round ticks that cover the domain and label them in the unit', () => {
    const { domain, ticks } = valueTicks([0, 287_000], 5, 'currency', 'EUR');
    expect(domain[0]).toBe(0);
    expect(domain[1]).toBeGreaterThanOrEqual(287_000);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const tick of ticks) expect(tick.value % 50_000).toBe(0);
    expect(ticks.every((tick) => /€/.test(tick.label))).toBe(true);
    expect(ticks.find((tick) => tick.value === 100_000)?.label).toMatch(/100\s?K/);
  });

  it('labels percent ticks with a percent sign and no needless decimals', () => {
    const { ticks } = valueTicks([20, 100], 4, 'percent', null);
    expect(ticks.map((tick) => tick.label)).toContain('40%');
  });

  it('gives small steps the decimals they need', () => {
    const { ticks } = valueTicks([0.2, 0.9], 4, 'number', null);
    expect(ticks.map((tick) => tick.label)).toContain('0.4');
  });
});

describe('timeTicks', () => {
  it('spreads month ticks across a plan of several months, inside it', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const end = Date.parse('2026-12-31T00:00:00Z');
    const ticks = timeTicks(start, end, 6);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const tick of ticks) {
      expect(tick.value).toBeGreaterThanOrEqual(start);
      expect(tick.value).toBeLessThanOrEqual(end);
      expect(tick.label.length).toBeGreaterThan(0);
    }
  });

  it('writes the year out on the first tick and where it turns, not as two digits', () => {
    const ticks = timeTicks(Date.parse('2026-08-01T12:00:00Z'), Date.parse('2027-03-01T12:00:00Z'), 8);
    const withYear = ticks.filter((tick) => /\b20\d\d\b/.test(tick.label));
    expect(withYear.map((tick) => new Date(tick.value).getMonth())).toEqual(
      [new Date(ticks[0]!.value).getMonth(), 0].filter((month, index, all) => all.indexOf(month) === index),
    );
    for (const tick of ticks) expect(tick.label).not.toMatch(/\b2[67]$/);
  });
});

describe('formatValue with a unit label', () => {
  it('writes the label after the number, and percent and money as before', () => {
    expect(formatValue(41.24, 'duration', null, 'h')).toBe(`${(41.2).toLocaleString()} h`);
    expect(formatValue(310, 'duration', null, 'ms')).toBe('310 ms');
    expect(formatValue(62, 'percent', null, null)).toBe('62%');
    expect(formatValue(794, 'number', null, null)).toBe('794');
  });
});

describe('formatAxisValue', () => {
  it('writes every tick of one axis in one short form', () => {
    const ticks = [0, 50_000, 100_000, 150_000];
    const labels = ticks.map((value) => formatAxisValue(value, 'currency', 'EUR', ticks));
    expect(labels[2]).toMatch(/€100\s?K/);
    expect(labels[0]).toMatch(/€0/);
  });
});
