// The periodic scan: open action items due within two days get a 'due_soon' notification for their owner,
// overdue ones an 'overdue' notification and an `action.overdue` webhook. Each item is announced once per kind,
// however often the scan runs and however many processes run it (the signal row is claimed in the transaction).
// Metrics whose latest reading went stale get a 'metric_stale' notification for their owner, once per lapse.
import { calendarDate } from '../../domain/action-items.ts';
import { addDays, alertNotification, dueAlert, DUE_SOON_DAYS, staleNotification } from '../../domain/notifications.ts';
import { isStale, MIN_STALE_AFTER_MS } from '../../domain/staleness.ts';
import { webhookPayload } from '../../domain/webhooks.ts';
import type { Sql } from '../../db/connect.ts';
import { claimSignal, insertNotification, listItemsToAnnounce } from '../../store/notifications.ts';
import { claimStaleLapse, insertMetricNotification, listStaleCandidates } from '../../store/staleness.ts';
import { enqueueDeliveries } from '../../store/webhooks.ts';

export interface ScanResult {
  dueSoon: number;
  overdue: number;
  /** Webhook deliveries queued (action.overdue). */
  deliveries: number;
  /** Metric owners told their metric went stale. */
  stale: number;
}

export async function runNotificationScan(sql: Sql, now: Date): Promise<ScanResult> {
  const result: ScanResult = { dueSoon: 0, overdue: 0, deliveries: 0, stale: 0 };
  const lastDate = addDays(calendarDate(now, 'UTC'), DUE_SOON_DAYS);
  for (const kind of ['overdue', 'due_soon'] as const) {
    const candidates = await listItemsToAnnounce(sql, lastDate, kind);
    for (const item of candidates) {
      // Overdue wins: an item found overdue is not also announced as due soon.
      if (dueAlert(item, now) !== kind) continue;
      await sql.begin(async (tx) => {
        if (!(await claimSignal(tx, item.id, kind, now))) return;
        await insertNotification(tx, alertNotification(item, kind), now);
        if (kind === 'due_soon') {
          result.dueSoon += 1;
          return;
        }
        result.overdue += 1;
        const payload = webhookPayload('action.overdue', item.organizationId, now.toISOString(), {
          actionId: item.id,
          reviewId: item.reviewId,
          title: item.title,
          ownerId: item.ownerId,
          ownerName: item.ownerName,
          dueDate: item.dueDate,
          status: item.status,
        });
        result.deliveries += (await enqueueDeliveries(tx, item.organizationId, 'action.overdue', payload, now)).length;
      });
    }
  }
  result.stale = await announceStaleMetrics(sql, now);
  return result;
}

/**
 * Tells each metric's owner when its latest reading has gone stale, once per lapse: the lapse is claimed (by the
 * reading it started from) in the same transaction as the notification, and a new reading starts the next one.
 */
async function announceStaleMetrics(sql: Sql, now: Date): Promise<number> {
  let announced = 0;
  const candidates = await listStaleCandidates(sql, new Date(now.getTime() - MIN_STALE_AFTER_MS));
  for (const metric of candidates) {
    if (!isStale(metric.frequency, metric.latestAt, now)) continue;
    await sql.begin(async (tx) => {
      if (!(await claimStaleLapse(tx, metric.id, metric.latestAt))) return;
      await insertMetricNotification(tx, staleNotification(metric), now);
      announced += 1;
    });
  }
  return announced;
}
