// When a metric's numbers are too old to trust: its latest reading is older than its reporting frequency allows,
// plus a grace. A stale metric is shown as stale (never as on track) and triage treats it as unknown. Pure.
import type { MetricAssessment } from './slip.ts';

export const REPORTING_FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type ReportingFrequency = (typeof REPORTING_FREQUENCIES)[number];

const DAY_MS = 86_400_000;

/** The longest gap between two readings each frequency allows: its longest calendar period. */
export const FREQUENCY_MS: Record<ReportingFrequency, number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 31 * DAY_MS,
  quarterly: 92 * DAY_MS,
};

/** Late by half a period (at least a day) is still fine: a weekly figure posted on Thursday instead of Monday. */
export function graceMs(frequency: ReportingFrequency): number {
  return Math.max(DAY_MS, FREQUENCY_MS[frequency] / 2);
}

/** The moment a metric with its latest reading at `latestAt` becomes stale. */
export function staleFrom(frequency: ReportingFrequency, latestAt: Date): Date {
  return new Date(latestAt.getTime() + FREQUENCY_MS[frequency] + graceMs(frequency));
}

/**
 * Whether the latest reading is too old at `now`. A metric without readings is not stale (it has no data, which
 * says so itself); a reading dated after `now` is not stale either.
 */
export function isStale(frequency: ReportingFrequency, latestAt: Date | null, now: Date): boolean {
  return latestAt !== null && now.getTime() > staleFrom(frequency, latestAt).getTime();
}

/**
 * The assessment as it stands at `now`: when the latest reading is too old, the status is `stale` (whatever its
 * slip said) and `staleSince` tells from when; slip, trend and the latest reading stay, for what they are worth.
 */
export function assessedAt(assessment: MetricAssessment, frequency: ReportingFrequency, now: Date): MetricAssessment {
  const latestAt = assessment.latest?.at ?? null;
  if (!latestAt || !isStale(frequency, latestAt, now)) return { ...assessment, staleSince: null };
  return { ...assessment, status: 'stale', staleSince: staleFrom(frequency, latestAt) };
}

/** The shortest time any frequency allows before staleness: readings newer than this are never stale. */
export const MIN_STALE_AFTER_MS = Math.min(
  ...REPORTING_FREQUENCIES.map((frequency) => FREQUENCY_MS[frequency] + graceMs(frequency)),
);
