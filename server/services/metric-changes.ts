// The one place a metric's change is published: after a reading is written, corrected or deleted, and after its
// plan changes. Always metric.updated (live pages, triage), and metric.slipped or metric.recovered on a crossing.
import { metricEvents, type EventBus } from '../domain/events.ts';
import type { MetricAssessment, Status } from '../domain/slip.ts';

/** The metric as its events name it. */
export interface ChangedMetric {
  id: string;
  name: string;
  organizationId: string;
  slipThreshold: number;
}

/** Publishes a metric's re-assessment: `before` is the status recorded before the write, `after` the new one. */
export function publishMetricChange(
  events: EventBus,
  metric: ChangedMetric,
  change: { before: Status; after: MetricAssessment },
  at: Date,
): void {
  for (const event of metricEvents({
    organizationId: metric.organizationId,
    metricId: metric.id,
    metricName: metric.name,
    slipThreshold: metric.slipThreshold,
    at: at.toISOString(),
    previousStatus: change.before,
    status: change.after.status,
    slip: change.after.slip,
    trend: change.after.trend,
  })) {
    events.publish(event);
  }
}
