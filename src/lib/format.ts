// Dates in the reader's own time zone, absolute and relative.
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

/** "18% behind", "4% ahead", "on plan". */
export function formatSlip(slip: number | null): string {
  if (slip === null) return 'no readings';
  const percent = Math.round(Math.abs(slip) * 100);
  if (percent === 0) return 'on plan';
  return `${percent}% ${slip > 0 ? 'behind' : 'ahead'}`;
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

export function formatValue(value: number, unit: string, currency: string | null): string {
  if (unit === 'currency') return formatMoney(value, currency);
  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 1 }).format(
    value,
  );
  return unit === 'percent' ? `${number}%` : number;
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
