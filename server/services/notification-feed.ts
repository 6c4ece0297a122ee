// A person's notifications as they stand now: each one says whether what it asked has since been answered
// (domain/notifications.ts, settlementOf), and only the unanswered unread ones count as unread.
import type { Db } from '../db/connect.ts';
import { settlementOf, type NotificationSettlement } from '../domain/notifications.ts';
import { listNotifications, listUnread, type NotificationRow } from '../store/notifications.ts';

export interface FeedEntry extends Omit<NotificationRow, 'itemStatus' | 'itemOwnerId'> {
  settled: NotificationSettlement | null;
}

function settled(userId: string, row: Pick<NotificationRow, 'kind' | 'itemStatus' | 'itemOwnerId'>) {
  const item = row.itemStatus && row.itemOwnerId ? { status: row.itemStatus, ownerId: row.itemOwnerId } : null;
  return settlementOf(row.kind, userId, item);
}

/** Unread notifications that still ask this person for something. */
export async function unreadCount(sql: Db, userId: string): Promise<number> {
  const unread = await listUnread(sql, userId);
  return unread.filter((row) => settled(userId, row) === null).length;
}

/** A page of notifications, newest first, each with what has answered it since. */
export async function notificationPage(
  sql: Db,
  userId: string,
  page: { limit: number; before?: string },
): Promise<FeedEntry[]> {
  const rows = await listNotifications(sql, userId, page);
  return rows.map(({ itemStatus, itemOwnerId, ...row }) => ({
    ...row,
    settled: settled(userId, { kind: row.kind, itemStatus, itemOwnerId }),
  }));
}
