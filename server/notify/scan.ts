// The periodic scan: open action items due within two days get a 'due_soon' notification for their owner,
// overdue ones an 'overdue' notification and an `action.overdue` webhook. Each item is announced once per kind,
// however often the scan runs and however many processes run it (the signal row is claimed in the transaction).
import { calendarDate } from '../domain/action-items.ts';
import { addDays, alertNotification, dueAlert, DUE_SOON_DAYS } from '../domain/notifications.ts';
import { webhookPayload } from '../domain/webhooks.ts';
import type { Sql } from '../db/connect.ts';
import { claimSignal, insertNotification, listItemsToAnnounce } from '../store/notifications.ts';
import { enqueueDeliveries } from '../store/webhooks.ts';

export interface ScanResult {
  dueSoon: number;
  overdue: number;
  /** Webhook deliveries queued (action.overdue). */
  deliveries: number;
}

export async function runNotificationScan(sql: Sql, now: Date): Promise<ScanResult> {
  const result: ScanResult = { dueSoon: 0, overdue: 0, deliveries: 0 };
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
  return result;
}
