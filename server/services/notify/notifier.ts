// Turns governance events into notifications and queued webhook deliveries, and owns the background work that
// follows from them: the webhook worker and the periodic due soon / overdue scan. Event handling only writes to
// Postgres (never calls out), so the request that published the event is never held up by a receiver.
import type { BackgroundWork } from '../../background.ts';
import type { Sql } from '../../db/connect.ts';
import { assignedNotification } from '../../domain/notifications.ts';
import { webhookPayload, type WebhookEvent } from '../../domain/webhooks.ts';
import type { DomainEvent, EventBus } from '../../domain/events.ts';
import { errorFields, type Logger } from '../../logger.ts';
import { insertNotification } from '../../store/notifications.ts';
import { enqueueDeliveries } from '../../store/webhooks.ts';
import type { NotifyOptions } from './options.ts';
import { runNotificationScan, type ScanResult } from './scan.ts';
import { createWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

export interface NotifierDeps {
  sql: Sql;
  events: EventBus;
  logger: Logger;
  background: BackgroundWork;
  now: () => Date;
  options: NotifyOptions;
}

export interface Notifier {
  readonly options: NotifyOptions;
  readonly worker: WebhookWorker;
  /** What one event gives rise to; the bus listener calls it in the background. */
  handle(event: DomainEvent): Promise<void>;
  /** One due soon / overdue scan (the timer runs it every scanIntervalMs once started). */
  scan(now?: Date): Promise<ScanResult>;
  /** Starts the webhook worker and the scan timer. */
  start(): void;
  /** Stops listening and the timers, and waits for work in flight. */
  stop(): Promise<void>;
}

/** Bus events that organizations can receive as webhooks. */
const WEBHOOK_EVENT_OF: Partial<Record<DomainEvent['type'], WebhookEvent>> = {
  'action.recorded': 'action.recorded',
  'action.committed': 'action.committed',
  'triage.pivoted': 'triage.pivoted',
  'review.minutes': 'review.minutes',
};

export function createNotifier(deps: NotifierDeps): Notifier {
  const worker = createWebhookWorker(deps);
  let scanTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<unknown> | undefined;

  async function handle(event: DomainEvent): Promise<void> {
    const now = deps.now();
    if (event.type === 'action.recorded') {
      const draft = assignedNotification({
        id: event.actionId,
        organizationId: event.organizationId,
        title: event.title,
        ownerId: event.ownerId,
        dueDate: event.dueDate,
        status: event.status as 'proposed',
        actorId: event.actorId,
      });
      if (draft) await insertNotification(deps.sql, draft, now);
    }
    const webhookEvent = WEBHOOK_EVENT_OF[event.type];
    if (!webhookEvent) return;
    const { type: _type, organizationId, at, ...data } = event as DomainEvent & { at: string };
    const payload = webhookPayload(webhookEvent, organizationId, at, data);
    const queued = await enqueueDeliveries(deps.sql, organizationId, webhookEvent, payload, now);
    if (queued.length) worker.wake();
  }

  const unsubscribe = deps.events.subscribe((event) => {
    deps.background.run('could not notify', () => handle(event), { event: event.type });
  });

  async function scan(now = deps.now()): Promise<ScanResult> {
    const result = await runNotificationScan(deps.sql, now);
    if (result.deliveries) worker.wake();
    return result;
  }

  function scheduleScan(delayMs = deps.options.scanIntervalMs) {
    scanTimer = setTimeout(() => {
      scanning = scan()
        .catch((error: unknown) => deps.logger.error('notification scan failed', errorFields(error)))
        .finally(() => {
          scanning = undefined;
          if (scanTimer) scheduleScan();
        });
    }, delayMs);
  }

  return {
    options: deps.options,
    worker,
    handle,
    scan,
    start() {
      if (scanTimer) return;
      worker.start();
      // The first scan soon after start-up: items may have fallen due while the server was down.
      scheduleScan(Math.min(1_000, deps.options.scanIntervalMs));
    },
    async stop() {
      unsubscribe();
      clearTimeout(scanTimer);
      scanTimer = undefined;
      await Promise.all([scanning, worker.stop(), deps.background.settled()]);
    },
  };
}
