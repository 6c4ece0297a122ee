// Response shapes of minutes and share links, shared by the member routes and the public share routes. The minutes'
// schema says as much as the domain's `Minutes` type (server/domain/minutes.ts), so the front end reads it as one.
import { z } from '@hono/zod-openapi';
import { ACTION_STATUSES } from '../domain/action-items.ts';
import { ITEM_KINDS, ROOM_ROLES } from '../domain/board.ts';

const Decision = z.object({
  id: z.string(),
  itemId: z.string().nullable(),
  itemTitle: z.string().nullable(),
  title: z.string(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  dueDate: z.string().nullable(),
  status: z.enum(['draft', ...ACTION_STATUSES]),
  committedAt: z.string().nullable(),
  dropReason: z.string().nullable(),
  recordedAt: z.string().nullable(),
  replayLink: z.string().nullable().openapi({ description: 'The replay at the moment the decision was recorded' }),
});

const Pivot = z.object({
  itemId: z.string(),
  itemTitle: z.string(),
  metricId: z.string(),
  why: z.string().openapi({ description: 'Why it pivoted, as it was then (kept once the metric recovers)' }),
  current: z
    .string()
    .nullable()
    .openapi({ description: 'On a recovered pivot, where the metric stood at the close; null otherwise' }),
  outcome: z.enum(['open', 'dismissed', 'recovered']),
  pivotedAt: z.string(),
  dismissedBy: z.string().nullable(),
  dismissedAt: z.string().nullable(),
  recoveredAt: z.string().nullable(),
  replayLink: z.string(),
});

export const MinutesSchema = z
  .object({
    version: z.literal(1),
    draft: z.boolean().openapi({ description: 'True while the review is live: the minutes may still change' }),
    generatedAt: z.string(),
    review: z.object({
      id: z.uuid(),
      title: z.string(),
      series: z.string().nullable(),
      scheduledAt: z.string(),
      startedAt: z.string().nullable(),
      closedAt: z.string().nullable(),
      status: z.enum(['scheduled', 'live', 'closed']),
      durationMinutes: z.number().nullable(),
    }),
    facilitator: z.object({ id: z.string(), name: z.string() }).nullable(),
    attendees: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        role: z.enum(ROOM_ROLES),
        facilitator: z.boolean(),
        joinedAt: z.string(),
      }),
    ),
    absent: z.array(z.object({ userId: z.string(), name: z.string(), role: z.enum(ROOM_ROLES) })),
    items: z.array(
      z.object({
        id: z.string(),
        position: z.number(),
        kind: z.enum(ITEM_KINDS),
        title: z.string(),
        presenter: z.string().nullable(),
        notes: z.string(),
        pivot: Pivot.nullable(),
        decisions: z.array(Decision),
      }),
    ),
    pivots: z.array(Pivot),
    decisions: z.array(Decision),
    commitmentsCheck: z
      .object({
        itemId: z.string(),
        title: z.string(),
        entries: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            owner: z.string(),
            dueDate: z.string(),
            status: z.string(),
            overdue: z.boolean(),
            reviewTitle: z.string(),
          }),
        ),
        counts: z
          .object({
            proposed: z.number(),
            committed: z.number(),
            done: z.number(),
            dropped: z.number(),
            overdue: z.number(),
          })
          .openapi({ description: 'How many entries have each status, and how many are overdue' }),
      })
      .nullable(),
  })
  .openapi('Minutes');

export const ShareSchema = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    state: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('ReviewShare');

export const CreateShareSchema = z
  .object({
    expiresInDays: z
      .number({ message: 'must be a number of days' })
      .int({ message: 'must be a whole number of days' })
      .min(1, { message: 'must be at least 1 day' })
      .max(90, { message: 'must be at most 90 days' })
      .default(14),
  })
  .openapi('CreateShare');

export const MARKDOWN_RESPONSE = {
  description: 'The minutes as a Markdown file',
  content: { 'text/markdown': { schema: z.string() } },
} as const;

/** A file name from a review's title and date: letters, digits and dashes only. */
export function minutesFileName(title: string, at: string | null): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .replace(/-+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'review';
  return `minutes-${slug}${at ? `-${at.slice(0, 10)}` : ''}.md`;
}
