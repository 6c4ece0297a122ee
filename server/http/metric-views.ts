// How metrics, their assessment and status overrides are shown in API responses (dates as ISO strings).
import type { MetricAssessment } from '../domain/slip.ts';
import type { MetricRow } from '../store/metrics.ts';
import type { OverrideRow } from '../store/overrides.ts';
import { iso } from './route-helpers.ts';

export function toAssessment(assessment: MetricAssessment) {
  return {
    status: assessment.status,
    slip: assessment.slip,
    trend: assessment.trend,
    latest: assessment.latest ? { at: iso(assessment.latest.at), value: assessment.latest.value } : null,
    staleSince: assessment.staleSince ? iso(assessment.staleSince) : null,
  };
}

export function toMetric(row: MetricRow, assessment: MetricAssessment, override: OverrideRow | null) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    unit: row.unit,
    currency: row.currency,
    unitLabel: row.unitLabel,
    direction: row.direction,
    baseline: row.baseline,
    target: row.target,
    rangeMin: row.rangeMin,
    rangeMax: row.rangeMax,
    plausibleMin: row.plausibleMin,
    plausibleMax: row.plausibleMax,
    startAt: iso(row.startAt),
    targetAt: iso(row.targetAt),
    frequency: row.frequency,
    slipThreshold: row.slipThreshold,
    owner: row.owner,
    initiativeIds: row.initiativeIds,
    assessment: toAssessment(assessment),
    override: toActiveOverride(override),
  };
}

export function toActiveOverride(override: OverrideRow | null | undefined) {
  return override
    ? { status: override.status, reason: override.reason, setBy: override.setBy, setAt: iso(override.setAt) }
    : null;
}
