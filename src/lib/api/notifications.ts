// Shapes of the notifications, calendar feed and webhook APIs (see /api/openapi.json), and their labels.
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../server/domain/webhooks.ts';

export { WEBHOOK_EVENTS, type WebhookEvent };

export type NotificationKind = 'assigned' | 'due_soon' | 'overdue' | 'metric_stale';

export interface AppNotification {
  id: string;
  organizationId: string;
  actionItemId: string | null;
  /** Set on a metric_stale notification. */
  metricId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationsPage {
  notifications: AppNotification[];
  unread: number;
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: string | null;
}

export interface CalendarFeed {
  /** Shown only when the feed is created or rotated. */
  url: string | null;
  createdAt: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event: WebhookEvent | 'ping';
  status: DeliveryStatus;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
}

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'action.recorded': 'Action item recorded',
  'action.committed': 'Owner committed',
  'action.overdue': 'Action item overdue',
  'triage.pivoted': 'Review pivoted to triage',
  'review.minutes': 'Review minutes published',
};
