// Dates in the reader's own time zone, absolute and relative; values, slips and trends in the reader's words.
import { slipWords } from '../../server/domain/slip-words.ts';

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function formatDateTime(iso: string): string {
  return absolute.format(new Date(iso));
}

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The day alone: "3 Dec 2026". */
export function formatDate(iso: string): string {
  return day.format(new Date(iso));
}

export function formatRelative(iso: string, now: Date = new Date()): string {
  const diff = new Date(iso).getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return relative.format(0, 'minute');
}

/** The slip in words beside its status, from the same rule: "within tolerance (5% behind plan)", "18% behind plan". */
export function formatSlip(slip: number | null, threshold: number): string {
  return slipWords(slip, threshold);
}

/**
 * Money the same way everywhere: whole units with the reader's grouping ("€112,800" beside "€78,741"). A compact
 * form above a threshold made neighbouring amounts read differently ("€112.8K" beside "€78,741").
 */
export function formatMoney(value: number, currency: string | null): string {
  return new Intl.NumberFormat(undefined, {
    style: currency ? 'currency' : 'decimal',
    currency: currency ?? undefined,
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  }).format(value);
}

/**
 * A metric's value as a person reads it: money in its currency, "62%", "41.2 h" with the metric's own unit label
 * (hours, ms, depots), or the bare number when it has none.
 */
export function formatValue(
  value: number,
  unit: string,
  currency: string | null,
  unitLabel: string | null = null,
): string {
  if (unit === 'currency') return formatMoney(value, currency);
  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 1 }).format(
    value,
  );
  if (unit === 'percent') return `${number}%`;
  return unitLabel ? `${number} ${unitLabel}` : number;
}

/** What `formatMetricValue` needs of a metric: its unit, currency and unit label. */
export interface MetricUnits {
  unit: string;
  currency: string | null;
  unitLabel?: string | null;
}

/** A value of this metric, in its own units: `formatValue` with the metric's unit, currency and label. */
export function formatMetricValue(value: number, metric: MetricUnits): string {
  return formatValue(value, metric.unit, metric.currency, metric.unitLabel ?? null);
}

/**
 * A tick on a chart's value axis: short (compact above ten thousand, "€250K"), with as many decimals as the step
 * between ticks needs, the same form for every tick of the axis. The axis names the unit label once.
 */
export function formatAxisValue(value: number, unit: string, currency: string | null, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : Math.abs(value) || 1;
  const largest = Math.max(...ticks.map(Math.abs), Math.abs(value));
  const compact = largest >= 10_000;
  const decimals = compact ? 1 : Math.max(0, Math.min(3, -Math.floor(Math.log10(step))));
  const text = new Intl.NumberFormat(undefined, {
    notation: compact ? 'compact' : 'standard',
    style: unit === 'currency' && currency ? 'currency' : 'decimal',
    currency: unit === 'currency' && currency ? currency : undefined,
    minimumFractionDigits: 0,
    maximumFractionDigits: decimals,
  }).format(value);
  return unit === 'percent' ? `${text}%` : text;
}

/** How close a metric is to pivoting its review to triage: "6 points from triage (at 15%)". */
export function pivotDistance(slip: number | null, threshold: number): string {
  const at = Math.round(threshold * 100);
  if (slip === null) return `triage at ${at}% behind`;
  const gap = Math.round((threshold - slip) * 100);
  return gap <= 0 ? `past the ${at}% triage threshold` : `${gap} points from triage (at ${at}%)`;
}

type Trend = 'improving' | 'worsening' | 'steady' | 'unknown';

/**
 * The trend in words, with an arrow for where the value moves: a lower-is-better metric that improves goes down
 * ("↘ improving"), one that worsens goes up ("↗ worsening"). A range metric gets no arrow (either way can be
 * better). The word always means better or worse against plan, whatever the direction.
 */
export function trendLabel(trend: Trend, direction: 'higher' | 'lower' | 'range'): string {
  if (trend === 'unknown') return '';
  if (trend === 'steady') return '→ steady';
  if (direction === 'range') return trend;
  const up = (trend === 'improving') === (direction === 'higher');
  return `${up ? '↗' : '↘'} ${trend}`;
}
