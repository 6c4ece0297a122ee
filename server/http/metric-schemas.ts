// Request and response schemas of metrics: their fields with the checks across them, and a metric with its
// assessment as the API answers it.
import { z } from '@hono/zod-openapi';
import { DEFAULT_SLIP_THRESHOLD, DIRECTIONS } from '../domain/slip.ts';
import { boundsFieldProblems } from '../domain/reading-plausibility.ts';
import { FREQUENCIES, UNITS } from '../store/metrics.ts';
import { finiteNumber, id, Instant, longText, requiredText, text } from './portfolio-fields.ts';
import { patchOf, singleLine } from './schemas.ts';
import { ActiveOverrideSchema, StatusSchema } from './status-schemas.ts';

/** A share behind plan at which a metric is off track and pivots to triage. */
export const slipThreshold = z
  .number({ error: 'must be a number' })
  .gt(0, 'must be more than 0')
  .max(1, 'must be at most 1 (a fraction: 0.15 is 15%)');

const MetricFields = z.object({
  name: requiredText(120),
  description: longText(2000).default(''),
  unit: z.enum(UNITS),
  currency: singleLine()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
    .nullable()
    .default(null),
  unitLabel: text(16)
    .min(1, 'is required (or leave it out)')
    .nullable()
    .default(null)
    .openapi({ description: 'What one unit is called, shown after each value (h, ms, depots); null for none' }),
  direction: z.enum(DIRECTIONS),
  baseline: finiteNumber,
  target: finiteNumber,
  rangeMin: finiteNumber.nullable().default(null),
  rangeMax: finiteNumber.nullable().default(null),
  plausibleMin: finiteNumber
    .nullable()
    .default(null)
    .openapi({ description: 'The lowest value a reading can plausibly take; null: none (0 for a percent metric)' }),
  plausibleMax: finiteNumber
    .nullable()
    .default(null)
    .openapi({ description: 'The highest value a reading can plausibly take; null: none (100 for a percent metric)' }),
  startAt: Instant,
  targetAt: Instant,
  frequency: z.enum(FREQUENCIES).default('weekly'),
  slipThreshold: slipThreshold.default(DEFAULT_SLIP_THRESHOLD),
  ownerId: id('a user'),
  initiativeIds: z.array(id('an initiative')).max(100).default([]),
});

type MetricFieldsOut = z.output<typeof MetricFields>;

function checkMetric(metric: Omit<MetricFieldsOut, 'slipThreshold'>, ctx: z.RefinementCtx) {
  if (metric.targetAt.getTime() <= metric.startAt.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['targetAt'], message: 'must be after the start date' });
  }
  if (metric.direction === 'range') {
    if (metric.rangeMin === null)
      ctx.addIssue({ code: 'custom', path: ['rangeMin'], message: 'is required for a range' });
    if (metric.rangeMax === null)
      ctx.addIssue({ code: 'custom', path: ['rangeMax'], message: 'is required for a range' });
    if (metric.rangeMin !== null && metric.rangeMax !== null && metric.rangeMin > metric.rangeMax) {
      ctx.addIssue({ code: 'custom', path: ['rangeMax'], message: 'must not be below the lowest value of the range' });
    }
  }
  if (metric.unit === 'currency' && !metric.currency) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required when the unit is currency' });
  }
  if ((metric.unit === 'currency' || metric.unit === 'percent') && metric.unitLabel !== null) {
    ctx.addIssue({
      code: 'custom',
      path: ['unitLabel'],
      message: `must be empty for ${metric.unit === 'currency' ? 'money: the currency names it' : 'a percentage'}`,
    });
  }
  for (const problem of boundsFieldProblems(metric)) {
    ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  }
}

export const CreateMetricSchema = MetricFields.extend({
  slipThreshold: slipThreshold.optional().openapi({ description: "Defaults to the organization's default threshold" }),
})
  .superRefine(checkMetric)
  .openapi('CreateMetric');
/** A PATCH names only what changes; the merged metric is checked again as a whole. */
export const UpdateMetricSchema = patchOf(MetricFields).openapi('UpdateMetric');
export const MergedMetricSchema = MetricFields.superRefine(checkMetric);

export const AssessmentSchema = z
  .object({
    status: StatusSchema,
    slip: z.number().nullable().openapi({ description: 'Fraction behind plan (0.18 = 18% behind); negative is ahead' }),
    trend: z.enum(['improving', 'worsening', 'steady', 'unknown']),
    latest: z.object({ at: z.iso.datetime(), value: z.number() }).nullable(),
    staleSince: z.iso
      .datetime()
      .nullable()
      .openapi({
        description:
          'When the latest reading became older than the frequency allows plus a grace (half a period, at least a ' +
          'day); the status is then `stale`. Null while the numbers are fresh',
      }),
  })
  .openapi('Assessment');

export const MetricSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    unit: z.enum(UNITS),
    currency: z.string().nullable(),
    unitLabel: z.string().nullable().openapi({ description: 'What one unit is called (h, ms, depots), or null' }),
    direction: z.enum(DIRECTIONS),
    baseline: z.number(),
    target: z.number(),
    rangeMin: z.number().nullable(),
    rangeMax: z.number().nullable(),
    plausibleMin: z.number().nullable().openapi({ description: "The metric's own lowest plausible reading, or null" }),
    plausibleMax: z.number().nullable().openapi({ description: "The metric's own highest plausible reading, or null" }),
    startAt: z.iso.datetime(),
    targetAt: z.iso.datetime(),
    frequency: z.enum(FREQUENCIES),
    slipThreshold: z.number(),
    owner: z.object({ id: z.uuid(), name: z.string() }),
    initiativeIds: z.array(z.uuid()),
    assessment: AssessmentSchema,
    override: ActiveOverrideSchema,
  })
  .openapi('Metric');
