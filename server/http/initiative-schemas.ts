// Request and response schemas of initiatives: their fields with the checks across them (a planned value needs its
// currency and dates), and an initiative with its delivery and value status as the API answers it.
import { z } from '@hono/zod-openapi';
import { id, Instant, longText, requiredText } from './portfolio-fields.ts';
import { patchOf, singleLine } from './schemas.ts';
import { ActiveOverrideSchema, StatusSchema } from './status-schemas.ts';

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
