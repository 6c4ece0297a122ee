// A metric's figures as they stood at a past moment (a closed review's close), worked out from its readings with the
// same pure rules the server assesses with, so a closed room shows last week's figures beside last week's notes.
import { assessMetric, TREND_WINDOW, type MetricPlan } from '../../../server/domain/slip.ts';
import { assessedAt } from '../../../server/domain/staleness.ts';
import type { Assessment, Metric } from '../api/types.ts';

export interface StoredReading {
  at: string;
  value: number;
}

export interface FiguresAt {
  assessment: Assessment;
  /** The readings up to that moment, oldest first, as many as a sparkline shows. */
  history: StoredReading[];
}

const SPARKLINE_READINGS = 20;

/**
 * The figures at `at`, or null when the readings do not reach back that far: `complete` says whether `readings`
 * holds every reading of the metric (the list the API gave was shorter than asked for).
 */
export function figuresAt(
  metric: Pick<Metric, 'direction' | 'baseline' | 'target' | 'startAt' | 'targetAt' | 'rangeMin' | 'rangeMax'> &
    Pick<Metric, 'slipThreshold' | 'frequency'>,
  readings: readonly StoredReading[],
  at: Date,
  complete: boolean,
): FiguresAt | null {
  const until = readings
    .map((reading) => ({ at: new Date(reading.at), value: reading.value }))
    .filter((reading) => reading.at.getTime() <= at.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  // Without every reading, the ones before the moment may be missing: only as many readings at or before it as the
  // trend looks at prove we have the latest one then and its trend.
  if (!complete && until.length < TREND_WINDOW) return null;
  const plan: MetricPlan = {
    direction: metric.direction,
    baseline: metric.baseline,
    target: metric.target,
    startAt: new Date(metric.startAt),
    targetAt: new Date(metric.targetAt),
    rangeMin: metric.rangeMin,
    rangeMax: metric.rangeMax,
    slipThreshold: metric.slipThreshold,
  };
  const assessment = assessedAt(assessMetric(plan, until), metric.frequency, at);
  return {
    assessment: {
      status: assessment.status,
      slip: assessment.slip,
      trend: assessment.trend,
      latest: assessment.latest ? { at: assessment.latest.at.toISOString(), value: assessment.latest.value } : null,
      staleSince: assessment.staleSince ? assessment.staleSince.toISOString() : null,
    },
    history: until
      .slice(-SPARKLINE_READINGS)
      .map((reading) => ({ at: reading.at.toISOString(), value: reading.value })),
  };
}
