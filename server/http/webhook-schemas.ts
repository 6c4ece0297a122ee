// Request and response shapes of the webhook admin API.
import { z } from '@hono/zod-openapi';
import { shownDeliveryError, WEBHOOK_EVENTS } from '../domain/webhooks.ts';
import type { DeliveryRow, WebhookRow } from '../store/webhooks.ts';
import { iso, isoOrNull } from './route-helpers.ts';
import { OrgParams, uuidOf } from './params.ts';

const url = z
  .string({ message: 'is required' })
  .trim()
  .max(2000, { message: 'must be at most 2000 characters' })
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
  .openapi({ example: 'https://example.com/hooks/lastmile' });

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }), {
    message: 'must be a list of events',
  })
  .min(1, { message: 'must name at least one event' })
  .transform((list) => [...new Set(list)]);

export const CreateWebhookSchema = z.object({ url, events, active: z.boolean().optional() }).openapi('CreateWebhook');

export const UpdateWebhookSchema = z
  .object({ url: url.optional(), events: events.optional(), active: z.boolean().optional() })
  .openapi('UpdateWebhook');

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Webhook');

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number(),
    lastResponseCode: z.number().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'The last failure: the HTTP status, "Could not connect…" or "No answer within…"' }),
    nextAttemptAt: z.string().nullable().openapi({ description: 'When a pending delivery is tried next' }),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('WebhookDelivery');

export const WebhookParams = OrgParams.extend({ webhookId: uuidOf('a webhook') });
export const DeliveryParams = WebhookParams.extend({
  deliveryId: uuidOf('a delivery'),
});

export function toWebhook(row: WebhookRow) {
  return { id: row.id, url: row.url, events: row.events, active: row.active, createdAt: iso(row.createdAt) };
}

export function toDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastResponseCode: row.lastResponseCode,
    lastError: shownDeliveryError(row.lastError),
    nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    createdAt: iso(row.createdAt),
    deliveredAt: isoOrNull(row.deliveredAt),
    payload: row.payload as unknown as Record<string, unknown>,
  };
}
