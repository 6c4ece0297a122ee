// Statuses as the API shows them: the computed status of a metric or initiative, and an owner's override of it
// (shown beside the computed status, never replacing it).
import { z } from '@hono/zod-openapi';
import { STATUSES } from '../domain/slip.ts';

export const StatusSchema = z.enum(STATUSES).openapi('Status');

export const OverrideStatusSchema = z.enum(['on track', 'at risk', 'off track'], {
  error: 'must be on track, at risk or off track',
});

/** The owner's override in force, shown beside the computed status (never replacing it). */
export const ActiveOverrideSchema = z
  .object({
    status: OverrideStatusSchema,
    reason: z.string(),
    setBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    setAt: z.iso.datetime(),
  })
  .nullable()
  .openapi({ description: "The owner's status override in force, shown beside the computed status" });
