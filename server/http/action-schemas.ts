// Response shapes of action items, shared by the item routes and the lists.
import { z } from '@hono/zod-openapi';
import { isOverdue } from '../domain/action-items.ts';
import type { ActionItemRow } from '../store/action-items.ts';
import { iso, isoOrNull } from './route-helpers.ts';
import { calendarDate } from './schemas.ts';

/** A due date or an expected effect's date: a calendar date in the window every date field shares. */
export const ActionDateSchema = calendarDate();

/** The version a client last saw; the column is a PostgreSQL integer, so larger numbers are no version at all. */
export const ActionVersionSchema = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .positive({ message: 'must be the version you last saw' })
  .max(2_147_483_647, { message: 'must be the version you last saw' });

export const ActionSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    reviewId: z.uuid().nullable(),
    itemId: z.string().nullable(),
    title: z.string(),
    owner: z.object({ id: z.uuid(), name: z.string() }),
    dueDate: z.string(),
    initiativeId: z.uuid().nullable(),
    metricId: z.uuid().nullable(),
    status: z.enum(['proposed', 'committed', 'done', 'dropped']),
    dropReason: z.string().nullable(),
    version: z.number(),
    overdue: z.boolean(),
    createdAt: z.string(),
    committedAt: z.string().nullable(),
    proposedDueDate: z
      .string()
      .nullable()
      .openapi({ description: "The owner's counter-proposal, awaiting the facilitator" }),
    expectedEffect: z
      .object({ maxSlip: z.number(), by: z.string() })
      .nullable()
      .openapi({ description: 'The linked metric back within maxSlip of plan by this date' }),
    verification: z
      .enum(['verified', 'not_verified'])
      .nullable()
      .openapi({ description: 'verified by the metric, or not verified by the date; null while pending' }),
    verifiedAt: z.string().nullable(),
  })
  .openapi('ActionItem');

export const HistorySchema = z.array(
  z.object({
    at: z.string(),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    change: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
);

export function toAction(row: ActionItemRow, now: Date) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    reviewId: row.reviewId,
    itemId: row.itemId,
    title: row.title,
    owner: row.owner,
    dueDate: row.dueDate,
    initiativeId: row.initiativeId,
    metricId: row.metricId,
    status: row.status,
    dropReason: row.dropReason,
    version: row.version,
    overdue: isOverdue(row, now),
    createdAt: iso(row.createdAt),
    committedAt: isoOrNull(row.committedAt),
    proposedDueDate: row.proposedDueDate,
    expectedEffect: row.expectedEffect,
    verification: row.verification,
    verifiedAt: isoOrNull(row.verifiedAt),
  };
}
