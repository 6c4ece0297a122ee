// Plausible readings (issue 27): which values a metric's reading may take, and which need a person to confirm them.
// Pure: the metric, the value and the recent readings come in; a verdict comes out.
//
// Three rules, checked in this order:
//
// 1. Absurd magnitude, for every unit: |value| > MAX_MAGNITUDE (10^15) is refused. No business quantity a team
//    reviews comes near it (a quadrillion euros, milliseconds or parcels), while a unit mix-up or a broken script
//    (1e21) does; it is also far inside what a double holds exactly enough to plot and compare.
// 2. Bounds: a metric may set its lowest and highest plausible value (plausibleMin, plausibleMax; either, both or
//    none). A percent metric, stored as 0–100 (50 is 50%), is bounded by 0 and 100 unless it sets its own bound on
//    that side (a growth rate may set −20 and 300). Other units have no bound but the metric's own. A value outside
//    is refused: it is not a reading of this metric at all.
// 3. Jump far outside the series: with at least JUMP_MIN_READINGS recent readings (the latest JUMP_WINDOW, the
//    reading being corrected left out), let low and high be their smallest and largest values and
//      scale = max(high − low, |target − baseline|, the range's width for a range metric, 1% of max(|low|, |high|))
//    (1 when all of these are 0). A value below low − JUMP_FACTOR·scale or above high + JUMP_FACTOR·scale is a jump:
//    possible (a real collapse, a re-based series) but more often a typo or a unit change, so it is recorded only
//    when the sender confirms it. The plan's span is part of the scale so that a quiet series early in a plan does
//    not make every real step look like a jump.

/** Readings larger than this in absolute value are refused for every unit. */
export const MAX_MAGNITUDE = 1e15;
/** How many scales beyond the recent readings a value must be to count as a jump. */
export const JUMP_FACTOR = 3;
/** How many of the latest readings make "the recent readings". */
export const JUMP_WINDOW = 12;
/** With fewer recent readings there is no series to judge a jump against. */
export const JUMP_MIN_READINGS = 3;

/** The machine-readable codes of the two refusals, as the API sends them. */
export const PLAUSIBILITY_CODES = { outOfBounds: 'reading_out_of_bounds', jump: 'reading_jump' } as const;

export interface PlausibilityMetric {
  unit: string;
  currency?: string | null;
  /** What a plain number counts ("h", "ms", "depots"), shown after it. */
  unitLabel?: string | null;
  direction: string;
  baseline: number;
  target: number;
  rangeMin?: number | null;
  rangeMax?: number | null;
  plausibleMin: number | null;
  plausibleMax: number | null;
}

export interface RecentReading {
  at: Date;
  source: string;
  value: number;
}

export type Plausibility =
  | { kind: 'plausible' }
  /** Refused whatever the sender says: `message` is the reason in a person's words. */
  | { kind: 'out of bounds'; message: string }
  /** Recorded only when confirmed; `low` and `high` are the recent readings' extremes, `recent` says them. */
  | { kind: 'jump'; message: string; low: number; high: number; recent: string };

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A value as a person reads it in this metric's unit: 50%, 1,200 EUR, 300 h, 300. */
export function describeValue(
  value: number,
  metric: Pick<PlausibilityMetric, 'unit' | 'currency' | 'unitLabel'>,
): string {
  const number = numberFormat.format(value);
  if (metric.unit === 'percent') return `${number}%`;
  if (metric.unit === 'currency' && metric.currency) return `${number} ${metric.currency}`;
  return metric.unitLabel ? `${number} ${metric.unitLabel}` : number;
}

/**
 * A refusal as an issue of the `value` field, for lists that print the field's name before it ("value must be
 * between 0% and 100%", in a CSV import's rejected rows): the sentence without its subject.
 */
export function asFieldIssue(sentence: string): string {
  return sentence.replace(/^(Readings of this metric|This) /, '');
}

/** The bounds in force: the metric's own, else 0 and 100 for a percent metric; null is no bound on that side. */
export function plausibleBounds(metric: Pick<PlausibilityMetric, 'unit' | 'plausibleMin' | 'plausibleMax'>): {
  min: number | null;
  max: number | null;
} {
  const percent = metric.unit === 'percent';
  return { min: metric.plausibleMin ?? (percent ? 0 : null), max: metric.plausibleMax ?? (percent ? 100 : null) };
}

/** Why `value` can never be a reading of this metric, in a person's words, or undefined. */
export function boundsProblem(metric: PlausibilityMetric, value: number): string | undefined {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
    const limit = describeValue(MAX_MAGNITUDE, { unit: 'number' });
    return `This is too large to be a reading: readings must be between -${limit} and ${limit}`;
  }
  const { min, max } = plausibleBounds(metric);
  const shown = (bound: number) => describeValue(bound, metric);
  if ((min !== null && value < min) || (max !== null && value > max)) {
    if (min !== null && max !== null) return `Readings of this metric must be between ${shown(min)} and ${shown(max)}`;
    if (min !== null) return `Readings of this metric must be at least ${shown(min)}`;
    return `Readings of this metric must be at most ${shown(max!)}`;
  }
  return undefined;
}

/** The scale a jump is measured in (see the header): never 0. */
export function jumpScale(metric: PlausibilityMetric, low: number, high: number): number {
  const rangeWidth =
    metric.direction === 'range' && metric.rangeMin != null && metric.rangeMax != null
      ? Math.abs(metric.rangeMax - metric.rangeMin)
      : 0;
  const scale = Math.max(
    high - low,
    Math.abs(metric.target - metric.baseline),
    rangeWidth,
    0.01 * Math.max(Math.abs(low), Math.abs(high)),
  );
  return scale > 0 ? scale : 1;
}

/**
 * Whether `reading` is plausible for the metric given its recent readings (newest first or in any order; only the
 * latest JUMP_WINDOW by time count). A reading at the same time and source as a recent one corrects it, so that one
 * is left out of the series it is judged against.
 */
export function checkReading(
  metric: PlausibilityMetric,
  reading: { at: Date; source: string; value: number },
  recent: readonly RecentReading[],
): Plausibility {
  const problem = boundsProblem(metric, reading.value);
  if (problem) return { kind: 'out of bounds', message: problem };
  const series = recent
    .filter((r) => !(r.at.getTime() === reading.at.getTime() && r.source === reading.source))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, JUMP_WINDOW);
  if (series.length < JUMP_MIN_READINGS) return { kind: 'plausible' };
  const values = series.map((r) => r.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const reach = JUMP_FACTOR * jumpScale(metric, low, high);
  if (reading.value >= low - reach && reading.value <= high + reach) return { kind: 'plausible' };
  const recentText =
    low === high ? describeValue(low, metric) : `${describeValue(low, metric)} to ${describeValue(high, metric)}`;
  return {
    kind: 'jump',
    message: `This is far outside the recent readings (${recentText})`,
    low,
    high,
    recent: recentText,
  };
}

/** Why a metric's own bounds cannot be, by field, or an empty list. */
export function boundsFieldProblems(metric: PlausibilityMetric): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const limit = describeValue(MAX_MAGNITUDE, { unit: 'number' });
  for (const path of ['plausibleMin', 'plausibleMax'] as const) {
    const bound = metric[path];
    if (bound !== null && Math.abs(bound) > MAX_MAGNITUDE)
      problems.push({ path, message: `must be between -${limit} and ${limit}` });
  }
  if (problems.length) return problems;
  const { min, max } = plausibleBounds(metric);
  if (min !== null && max !== null && min > max) {
    const path = metric.plausibleMax !== null ? 'plausibleMax' : 'plausibleMin';
    const message =
      path === 'plausibleMax'
        ? `must not be below the lowest plausible value (${describeValue(min, metric)})`
        : `must not be above the highest plausible value (${describeValue(max, metric)})`;
    problems.push({ path, message });
    return problems;
  }
  // A plan that starts or ends outside its own bounds could never be met by a reading the bounds allow.
  if (metric.plausibleMin !== null || metric.plausibleMax !== null) {
    for (const field of ['baseline', 'target'] as const) {
      const value = metric[field];
      if ((min !== null && value < min) || (max !== null && value > max)) {
        const path = metric.plausibleMin !== null && min !== null && value < min ? 'plausibleMin' : 'plausibleMax';
        problems.push({
          path,
          message: `must leave room for the ${field} (${describeValue(value, metric)})`,
        });
        break;
      }
    }
  }
  return problems;
}
