// Request and response schemas of the portfolio API: metrics, readings, objectives, key results, initiatives.
import { z } from '@hono/zod-openapi';
import { DEFAULT_SLIP_THRESHOLD, DIRECTIONS, STATUSES } from '../domain/slip.ts';
import { dateProblem } from '../domain/plausible-input.ts';
import { boundsFieldProblems } from '../domain/reading-plausibility.ts';
import { FREQUENCIES, UNITS } from '../store/metrics.ts';
import { multiLine, patchOf, singleLine } from './schemas.ts';
import { MetricParams, uuidOf } from './params.ts';

/** An instant: an ISO date-time with offset, or a date (taken as midnight UTC), in the window every date shares. */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: (issue) =>
      issue.input === undefined || issue.input === '' ? 'is required' : 'must be an ISO date (2026-11-24) or date-time',
  })
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value))
  .superRefine((date, ctx) => {
    const problem = dateProblem(date);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ type: 'string', example: '2026-11-24T09:30:00Z' });

const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a number');
const finiteNumber = z.number({ error: numberError }).refine(Number.isFinite, 'must be a finite number');
const text = (max: number) => singleLine().trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'is required');
const longText = (max: number) => multiLine().trim().max(max, `must be at most ${max} characters`);
export const id = (what: string) => singleLine().min(1, 'is required').pipe(uuidOf(what));

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

export const StatusSchema = z.enum(STATUSES).openapi('Status');

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

export const OverrideStatusSchema = z.enum(['on track', 'at risk', 'off track'], {
  error: 'must be on track, at risk or off track',
});

/** The owner's override in force, shown beside the computed status (never replacing it). */
const ActiveOverrideSchema = z
  .object({
    status: OverrideStatusSchema,
    reason: z.string(),
    setBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    setAt: z.iso.datetime(),
  })
  .nullable()
  .openapi({ description: "The owner's status override in force, shown beside the computed status" });

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

export const ReadingBodySchema = z
  .object({
    value: finiteNumber,
    at: Instant.optional(),
    source: requiredText(100).default('manual'),
    note: longText(1000).nullable().default(null),
    confirmJump: z.boolean({ error: 'must be true or false' }).default(false).openapi({
      description:
        'true records a value far outside the recent readings, which is otherwise refused (409, code reading_jump)',
    }),
  })
  .openapi('Reading');

export const BATCH_LIMIT = 5000;

export const BatchReadingsSchema = z
  .object({
    readings: z
      .array(z.unknown())
      .min(1, 'must contain at least one reading')
      .max(BATCH_LIMIT, `must contain at most ${BATCH_LIMIT} readings; split larger uploads`),
  })
  .openapi('ReadingsBatch');

export const BatchRowSchema = ReadingBodySchema.extend({ metricId: id('a metric') });

/** A reading id: readings are numbered (1, 2, …), unlike the other resources. */
export const ReadingParams = MetricParams.extend({
  readingId: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be a reading id (a positive whole number, as in the readings list)')
    .openapi({ example: '42' }),
});

/** The Idempotency-Key header of a reading POST: printable ASCII, as the IETF draft and most clients send it. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x20-\x7e]{1,200}$/, 'must be 1 to 200 printable characters')
    .optional()
    .openapi({
      description:
        'Any unique text per request (a UUID is fine). A retry with the same key within 24 hours gets the first ' +
        'answer back and stores nothing; the same key with another body is refused with 422.',
      example: '5f0c7d3e-9a51-4d8e-b1a8-3f0a7c2d9e11',
    }),
});

export const StoredReadingSchema = z
  .object({
    id: z.string().openapi({ description: 'The reading id, for its history and deletion', example: '42' }),
    at: z.iso.datetime(),
    value: z.number(),
    source: z.string(),
    note: z.string().nullable(),
  })
  .openapi('StoredReading');

export const ReadingResultSchema = z
  .object({
    duplicate: z
      .boolean()
      .openapi({ description: 'true when this (metric, at, source) was already recorded with this value' }),
    corrected: z.boolean().openapi({
      description:
        'true when this (metric, at, source) was recorded with another value, now replaced (see its history)',
    }),
    reading: StoredReadingSchema,
    assessment: AssessmentSchema,
  })
  .openapi('ReadingResult');

export const ReadingHistorySchema = z
  .object({
    reading: StoredReadingSchema.nullable().openapi({ description: 'The reading as it is now; null once deleted' }),
    history: z.array(
      z.object({
        change: z.enum(['corrected', 'deleted']),
        value: z.number().openapi({ description: 'The value before this change' }),
        note: z.string().nullable(),
        changedBy: z.string().nullable().openapi({ description: 'The person or API token, by name' }),
        changedAt: z.iso.datetime(),
      }),
    ),
  })
  .openapi('ReadingHistory');

export const BatchResultSchema = z
  .object({
    accepted: z.number().int(),
    corrected: z.number().int().openapi({ description: 'Rows that replaced the value at a known (at, source)' }),
    duplicates: z.number().int(),
    rejected: z.array(
      z.object({ index: z.number().int(), issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
    ),
  })
  .openapi('ReadingsBatchResult');

export const ObjectiveBodySchema = z
  .object({ title: requiredText(200), description: longText(2000).default(''), ownerId: id('a user') })
  .openapi('ObjectiveInput');

export const ObjectivePatchSchema = patchOf(ObjectiveBodySchema).openapi('ObjectivePatch');

export const ObjectiveSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    owner: z.object({ id: z.uuid(), name: z.string() }),
  })
  .openapi('Objective');

export const KeyResultBodySchema = z
  .object({
    objectiveId: id('an objective'),
    title: requiredText(200),
    metricId: id('a metric').nullable().default(null),
  })
  .openapi('KeyResultInput');

export const KeyResultPatchSchema = patchOf(KeyResultBodySchema).openapi('KeyResultPatch');

export const KeyResultSchema = z
  .object({ id: z.uuid(), objectiveId: z.uuid(), title: z.string(), metricId: z.uuid().nullable() })
  .openapi('KeyResult');

const money = z
  .number({ error: 'must be a number' })
  .refine(Number.isFinite, 'must be a finite number')
  .min(0, 'must not be negative');

const InitiativeFields = z.object({
  title: requiredText(200),
  description: longText(4000).default(''),
  ownerId: id('a user'),
  team: requiredText(80),
  keyResultId: id('a key result').nullable().default(null),
  plannedValue: money.nullable().default(null),
  realizedValue: money.nullable().default(null),
  currency: singleLine()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
    .nullable()
    .default(null),
  // Instant's own metadata says `type: string`, which would hide the null from the document.
  startAt: Instant.nullable()
    .openapi({ type: ['string', 'null'] })
    .default(null),
  targetAt: Instant.nullable()
    .openapi({ type: ['string', 'null'] })
    .default(null),
  links: z
    .array(
      z.object({
        label: requiredText(80),
        url: singleLine()
          .max(2000, 'must be at most 2000 characters')
          .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })),
      }),
    )
    .max(20, 'must have at most 20 links')
    .default([]),
});

function checkInitiative(initiative: z.output<typeof InitiativeFields>, ctx: z.RefinementCtx) {
  if (initiative.plannedValue !== null) {
    for (const field of ['currency', 'startAt', 'targetAt'] as const) {
      if (initiative[field] === null)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is required when a planned value is set' });
    }
  }
  if (initiative.startAt && initiative.targetAt && initiative.targetAt.getTime() <= initiative.startAt.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['targetAt'], message: 'must be after the start date' });
  }
}

export const CreateInitiativeSchema = InitiativeFields.superRefine(checkInitiative).openapi('CreateInitiative');
export const UpdateInitiativeSchema = patchOf(InitiativeFields).openapi('UpdateInitiative');
export const MergedInitiativeSchema = InitiativeFields.superRefine(checkInitiative);

export const InitiativeSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    owner: z.object({ id: z.uuid(), name: z.string() }),
    team: z.string(),
    keyResultId: z.uuid().nullable(),
    plannedValue: z.number().nullable(),
    realizedValue: z.number().nullable(),
    currency: z.string().nullable(),
    startAt: z.iso.datetime().nullable(),
    targetAt: z.iso.datetime().nullable(),
    links: z.array(z.object({ label: z.string(), url: z.string() })),
    metricIds: z.array(z.uuid()),
    status: z.object({
      delivery: StatusSchema,
      value: StatusSchema,
      valueSlip: z.number().nullable(),
      moneyAtRisk: z.number(),
    }),
    override: ActiveOverrideSchema,
  })
  .openapi('Initiative');
