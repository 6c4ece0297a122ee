import { describe, expect, it } from 'vitest';
import { formatMoney, formatValue, pivotDistance, trendLabel } from '../../../src/lib/format.ts';

describe('pivotDistance', () => {
  it('says how close a metric is to pivoting a review to triage', () => {
    expect(pivotDistance(0.09, 0.15)).toBe('6 points from triage (at 15%)');
    expect(pivotDistance(0.18, 0.15)).toBe('past the 15% triage threshold');
    expect(pivotDistance(-0.04, 0.15)).toBe('19 points from triage (at 15%)');
    expect(pivotDistance(null, 0.1)).toBe('triage at 10% behind');
  });
});

describe('formatMoney', () => {
  it('writes every amount the same way, large or small: whole units, grouped', () => {
    const euros = (value: number) => formatMoney(value, 'EUR');
    const grouped = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
    for (const value of [78_741, 112_800, 1_250_000, 950.4]) expect(euros(value)).toContain(grouped.format(value));
    expect(euros(112_800)).not.toMatch(/K|M|k/);
    expect(formatMoney(112_800, null)).toBe(grouped.format(112_800));
  });

  it('is what formatValue shows for a currency metric', () => {
    expect(formatValue(112_800, 'currency', 'EUR')).toBe(formatMoney(112_800, 'EUR'));
  });
});

describe('trendLabel', () => {
  it('points the arrow where the value moves and names better or worse against plan', () => {
    expect(trendLabel('improving', 'higher')).toBe('↗ improving');
    expect(trendLabel('worsening', 'higher')).toBe('↘ worsening');
    // Issue 27: a lower-is-better cost that went up read "↘ worsening".
    expect(trendLabel('worsening', 'lower')).toBe('↗ worsening');
    expect(trendLabel('improving', 'lower')).toBe('↘ improving');
    expect(trendLabel('improving', 'range')).toBe('improving');
    expect(trendLabel('steady', 'lower')).toBe('→ steady');
    expect(trendLabel('unknown', 'higher')).toBe('');
  });
});
