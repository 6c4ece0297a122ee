// Names for the notifications, calendar feed and webhook APIs' shapes (from the generated schema), and their labels.
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../server/domain/webhooks.ts';
import type { components } from './schema';

export { WEBHOOK_EVENTS, type WebhookEvent };

export type AppNotification = components['schemas']['Notification'];
/** `url` is shown only when the feed is created or rotated. */
export type CalendarFeed = components['schemas']['CalendarFeed'];
export type Webhook = components['schemas']['Webhook'];
export type WebhookDelivery = components['schemas']['WebhookDelivery'];
export type DeliveryStatus = WebhookDelivery['status'];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'action.recorded': 'Action item recorded',
  'action.committed': 'Owner committed',
  'action.overdue': 'Action item overdue',
  'triage.pivoted': 'Review pivoted to triage',
  'review.minutes': 'Review minutes published',
};
