// Request and response shapes of the review API.
import { z } from '@hono/zod-openapi';
import { PHASES, ROOM_ROLES } from '../domain/board.ts';
import { STATUSES } from '../domain/slip.ts';
import { REVIEW_STATUSES } from '../store/reviews.ts';
import { dateTime, singleLine } from './schemas.ts';
import { ReviewParams, uuidOf } from './params.ts';

const trimmed = (max: number) =>
  singleLine()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` });

const ids = (what: string) =>
  z
    .array(z.uuid({ message: `must be ${what} ids (UUIDs)` }))
    .max(200, { message: 'at most 200' })
    .transform((list) => [...new Set(list)]);

const timeZone = singleLine()
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be a time zone such as Europe/Berlin' },
  );

export const RoomRoleSchema = z.enum(ROOM_ROLES).openapi('RoomRole');
export const PhaseSchema = z.enum(PHASES).openapi('Phase');
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES).openapi('ReviewStatus');

export const CreateReviewSchema = z
  .object({
    title: trimmed(200),
    series: trimmed(120).optional().openapi({ description: 'A recurring series, found or created by title' }),
    scheduledAt: dateTime().optional().openapi({ description: 'Now or later (10 minutes of slack); default now' }),
    timeZone: timeZone.optional().openapi({
      description: 'The IANA time zone whose calendar day `sameDay` compares (default UTC)',
    }),
    metricIds: ids('metric').optional(),
    initiativeIds: ids('initiative').optional(),
    participants: z
      .array(z.object({ userId: uuidOf('a user'), role: RoomRoleSchema }))
      .max(200)
      .optional()
      .openapi({ description: 'Room roles; the creator facilitates unless someone else is named facilitator' }),
  })
  .openapi('CreateReview');

export const UpdateReviewSchema = z
  .object({
    title: trimmed(200).optional(),
    scheduledAt: dateTime().optional().openapi({ description: 'Now or later (10 minutes of slack)' }),
    timeZone: timeZone.optional().openapi({
      description: 'The IANA time zone whose calendar day `sameDay` compares (default UTC)',
    }),
  })
  .openapi('UpdateReview');

export const SetPhaseSchema = z.object({ phase: PhaseSchema }).openapi('SetPhase');
export const SetRoleSchema = z.object({ role: RoomRoleSchema }).openapi('SetRoomRole');

export const ItemParams = ReviewParams.extend({
  itemId: singleLine().min(1).max(100, { message: 'must be an agenda item id' }),
});
export const ParticipantParams = ReviewParams.extend({ userId: uuidOf('a user') });

const Scoped = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(STATUSES),
  ownerId: z.uuid(),
});

export const ReviewSummarySchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    series: z.object({ id: z.uuid(), title: z.string() }).nullable(),
    title: z.string(),
    scheduledAt: z.string(),
    status: ReviewStatusSchema,
    phase: PhaseSchema,
    startedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    metricIds: z.array(z.uuid()),
    initiativeIds: z.array(z.uuid()),
  })
  .openapi('ReviewSummary');

export const ReviewSchema = ReviewSummarySchema.extend({
  participants: z.array(z.object({ userId: z.uuid(), name: z.string(), email: z.string(), role: RoomRoleSchema })),
  metrics: z.array(Scoped),
  initiatives: z.array(Scoped),
  me: z.object({ role: RoomRoleSchema, readOnly: z.boolean(), canFacilitate: z.boolean() }),
}).openapi('Review');

/** What every route that reads or changes one review answers. */
export const ReviewResponse = z.object({ review: ReviewSchema });

/** Scheduling answers 201 with the reviews that share the new one's title and calendar day: the UI asks first. */
export const SameDaySchema = z
  .array(z.object({ id: z.uuid(), title: z.string(), scheduledAt: z.string() }))
  .openapi({ description: 'Other reviews with the same title on the same calendar day (in `timeZone`)' });
