// Slip against the linear plan and the status it implies (DESIGN.md, "Domain"). Pure: time is a parameter.
//
// The plan runs linearly from the baseline at the start date to the target at the target date, and
// stays flat outside that span. Slip is the shortfall against the plan at the reading's time,
// divided by the whole planned change |target − baseline|, signed so that positive means behind.
// Dividing by the whole change (not the change planned so far) keeps slip stable early in the plan,
// when the change planned so far is tiny and any noise would look like a huge slip.

export const DIRECTIONS = ['higher', 'lower', 'range'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * `stale`: the latest reading is older than the metric's frequency allows (staleness.ts), so its slip says nothing
 * about now. Only the assessment at a given moment can be stale; slip alone never is.
 */
export const STATUSES = ['on track', 'at risk', 'off track', 'no data', 'stale'] as const;
export type Status = (typeof STATUSES)[number];

export const DEFAULT_SLIP_THRESHOLD = 0.15;

export interface MetricPlan {
  direction: Direction;
  baseline: number;
  target: number;
  startAt: Date;
  targetAt: Date;
  /** For `range`: the band to stay within. */
  rangeMin?: number | null;
  rangeMax?: number | null;
  /** Fraction, e.g. 0.15 for 15%. */
  slipThreshold: number;
}

export interface Reading {
  at: Date;
  value: number;
}

/** Share of the plan's time span elapsed at `at`, clamped to [0, 1]. */
export function planProgress(plan: Pick<MetricPlan, 'startAt' | 'targetAt'>, at: Date): number {
  const span = plan.targetAt.getTime() - plan.startAt.getTime();
  if (span <= 0) return at.getTime() >= plan.targetAt.getTime() ? 1 : 0;
  return Math.min(1, Math.max(0, (at.getTime() - plan.startAt.getTime()) / span));
}

/** The value the plan expects at `at`. */
export function plannedValue(plan: MetricPlan, at: Date): number {
  return plan.baseline + (plan.target - plan.baseline) * planProgress(plan, at);
}

/**
 * Slip of `value` at `at`, as a fraction (0.18 = 18% behind plan; negative = ahead).
 * - higher is better: shortfall = planned − actual; lower is better: actual − planned.
 * - target equal to baseline ("hold the line"): the deviation in the bad direction relative to |baseline|.
 * - range: distance outside the band relative to its width; negative inside the band.
 */
export function slipAt(plan: MetricPlan, reading: Reading): number {
  if (plan.direction === 'range') return rangeSlip(plan, reading.value);
  const expected = plannedValue(plan, reading.at);
  const shortfall = plan.direction === 'higher' ? expected - reading.value : reading.value - expected;
  return shortfall / changeScale(plan.target - plan.baseline, plan.baseline);
}

function rangeSlip(plan: MetricPlan, value: number): number {
  const low = Math.min(plan.rangeMin ?? plan.target, plan.rangeMax ?? plan.target);
  const high = Math.max(plan.rangeMin ?? plan.target, plan.rangeMax ?? plan.target);
  const scale = changeScale(high - low, high);
  if (value < low) return (low - value) / scale;
  if (value > high) return (value - high) / scale;
  return -Math.min(value - low, high - value) / scale;
}

/**
 * What slip is measured against: the planned change, or |reference| when the change is nil (or so
 * small next to the values that dividing by it would only amplify rounding), or 1 when both are ~0.
 */
function changeScale(change: number, reference: number): number {
  const magnitude = Math.abs(change);
  if (magnitude > 1e-9 * Math.max(1, Math.abs(reference))) return magnitude;
  return Math.abs(reference) > 1e-9 ? Math.abs(reference) : 1;
}

/** The slip from which a metric is at risk: half its off-track (triage) threshold. */
export function atRiskFrom(threshold: number): number {
  return threshold / 2;
}

/** on track below half the threshold, at risk from half the threshold, off track at or above it. */
export function statusForSlip(slip: number | null, threshold: number): Exclude<Status, 'stale'> {
  if (slip === null || !Number.isFinite(slip)) return 'no data';
  if (slip >= threshold) return 'off track';
  if (slip >= atRiskFrom(threshold)) return 'at risk';
  return 'on track';
}

/** The reading with the latest `at`; readings may arrive in any order. */
export function latestReading<R extends Reading>(readings: readonly R[]): R | undefined {
  let latest: R | undefined;
  for (const reading of readings) if (!latest || reading.at.getTime() > latest.at.getTime()) latest = reading;
  return latest;
}

export interface MetricAssessment {
  status: Status;
  /** When the latest reading became too old to trust, once it has (`status` is then `stale`); else null. */
  staleSince?: Date | null;
  /** Slip of the latest reading, or null without readings. */
  slip: number | null;
  latest: Reading | null;
  trend: Trend;
}

export function assessMetric(plan: MetricPlan, readings: readonly Reading[]): MetricAssessment {
  const latest = latestReading(readings);
  const slip = latest ? slipAt(plan, latest) : null;
  return {
    status: statusForSlip(slip, plan.slipThreshold),
    slip,
    latest: latest ?? null,
    trend: trendOf(plan, readings),
  };
}

export type Trend = 'improving' | 'worsening' | 'steady' | 'unknown';

/** Slip changes smaller than this (one percentage point) count as steady. */
export const STEADY_BAND = 0.01;

/** How many of the latest readings the trend looks at. */
export const TREND_WINDOW = 4;

/** Direction of slip over the last `window` readings by time: less slip is improving. */
export function trendOf(plan: MetricPlan, readings: readonly Reading[], window = TREND_WINDOW): Trend {
  if (readings.length < 2) return 'unknown';
  const recent = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-window);
  const first = slipAt(plan, recent[0]!);
  const last = slipAt(plan, recent[recent.length - 1]!);
  const change = last - first;
  if (Math.abs(change) < STEADY_BAND) return 'steady';
  return change < 0 ? 'improving' : 'worsening';
}

// Stale ranks above on track: numbers too old to trust are no evidence of being on track, so an initiative with a
// stale metric and otherwise on track metrics is stale, not on track; a fresh at risk or off track still wins.
const SEVERITY: Record<Status, number> = { 'no data': 0, 'on track': 1, stale: 2, 'at risk': 3, 'off track': 4 };

/** The worst of several statuses; `no data` only when nothing has data. */
export function worstStatus(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst), 'no data');
}

/** Whether a change of status crosses the slip threshold: into off track, or back out of it. */
export function thresholdCrossing(previous: Status, current: Status): 'slipped' | 'recovered' | null {
  if (current === 'off track' && previous !== 'off track') return 'slipped';
  if (previous === 'off track' && current !== 'off track') return 'recovered';
  return null;
}
