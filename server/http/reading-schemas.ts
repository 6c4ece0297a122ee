// Request and response schemas of readings: one pushed or a batch, the Idempotency-Key header, a stored reading
// and its history.
import { z } from '@hono/zod-openapi';
import { AssessmentSchema } from './metric-schemas.ts';
import { finiteNumber, id, Instant, longText, requiredText } from './portfolio-fields.ts';
import { MetricParams } from './params.ts';

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
