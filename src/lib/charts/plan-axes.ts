// Axes for a metric's plan chart: a value range that does not invent impossible values, round ticks from
// d3-scale, and tick labels in the metric's unit.
import { scaleLinear, scaleTime } from 'd3-scale';
import { formatAxisValue } from '../format.ts';

export interface ValueAxisInput {
  /** Values that are real: baseline, target, readings. */
  values: number[];
  /** Values only drawn for context (the at-risk and off-track bands); they may widen the range, not cross a floor. */
  context: number[];
  unit: string;
}

export interface Tick {
  value: number;
  label: string;
}

/**
 * The value range shown: every real value and the bands, but a metric whose values are all at or above zero keeps
 * zero as its floor (a band below it would read as a negative amount), and a percent metric within 0-100 keeps
 * that range.
 */
export function valueDomain({ values, context, unit }: ValueAxisInput): [number, number] {
  const all = [...values, ...context];
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (values.every((value) => value >= 0)) low = Math.max(0, low);
  if (unit === 'percent' && values.every((value) => value <= 100)) high = Math.min(100, high);
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    return [values.every((value) => value >= 0) ? Math.max(0, low - pad) : low - pad, high + pad];
  }
  return [low, high];
}

/** Round ticks over the domain, the domain widened to the outer ticks, labelled in the unit. */
export function valueTicks(
  domain: [number, number],
  count: number,
  unit: string,
  currency: string | null,
): { domain: [number, number]; ticks: Tick[] } {
  const scale = scaleLinear().domain(domain).nice(count);
  const [low, high] = scale.domain() as [number, number];
  const ticks = scale.ticks(count);
  return {
    domain: [low, high],
    ticks: ticks.map((value) => ({ value, label: formatAxisValue(value, unit, currency, ticks) })),
  };
}

/**
 * Date ticks across the plan (months, or days on a short plan), labelled in the reader's locale and zone. The year
 * is written out on the first tick and where it turns ("Aug 2026", "Sep", ..., "Jan 2027"), never as two digits
 * that read like a day ("Aug 26").
 */
export function timeTicks(start: number, end: number, count: number): Tick[] {
  const scale = scaleTime().domain([new Date(start), new Date(end)]);
  const dates = scale.ticks(count);
  const short = end - start < 90 * 86_400_000;
  return dates.map((date, index) => {
    const newYear = index === 0 || date.getFullYear() !== dates[index - 1]!.getFullYear();
    const options: Intl.DateTimeFormatOptions = short
      ? { day: 'numeric', month: 'short', ...(newYear ? { year: 'numeric' } : {}) }
      : { month: 'short', ...(newYear ? { year: 'numeric' } : {}) };
    return { value: date.getTime(), label: date.toLocaleDateString(undefined, options) };
  });
}
