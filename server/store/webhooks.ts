// Webhooks of an organization and their delivery queue, which doubles as the delivery log. Workers claim due
// deliveries with SKIP LOCKED and a lease, so several processes never send the same attempt twice.
import type { Db } from '../db/connect.ts';
import type { DeliveryEvent, WebhookEvent, WebhookPayload } from '../domain/webhooks.ts';

export interface WebhookRow {
  id: string;
  organizationId: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  webhookId: string;
  event: DeliveryEvent;
  payload: WebhookPayload;
  attempts: number;
  status: DeliveryStatus;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
}

const webhookColumns = (sql: Db) => sql`
  id,
  organization_id,
  url,
  events,
  active,
  created_by,
  created_at
`;

const deliveryColumns = (sql: Db) => sql`
  id,
  webhook_id,
  event,
  payload,
  attempts,
  status,
  last_response_code,
  last_error,
  next_attempt_at,
  created_at,
  delivered_at
`;

export async function insertWebhook(
  sql: Db,
  input: { organizationId: string; url: string; secret: string; events: WebhookEvent[]; createdBy: string },
  now: Date,
): Promise<WebhookRow> {
  const [row] = await sql<WebhookRow[]>`
    insert into webhooks (organization_id, url, secret, events, created_by, created_at)
    values (${input.organizationId}, ${input.url}, ${input.secret}, ${input.events}, ${input.createdBy}, ${now})
    returning ${webhookColumns(sql)}
  `;
  return row!;
}

export async function listWebhooks(sql: Db, organizationId: string): Promise<WebhookRow[]> {
  return sql<WebhookRow[]>`
    select ${webhookColumns(sql)}
    from webhooks
    where organization_id = ${organizationId}
    order by created_at, id
  `;
}

export async function findWebhook(sql: Db, organizationId: string, id: string): Promise<WebhookRow | undefined> {
  const [row] = await sql<WebhookRow[]>`
    select ${webhookColumns(sql)}
    from webhooks
    where id = ${id}
      and organization_id = ${organizationId}
  `;
  return row;
}

export async function updateWebhook(
  sql: Db,
  organizationId: string,
  id: string,
  change: { url?: string; events?: WebhookEvent[]; active?: boolean },
): Promise<WebhookRow | undefined> {
  const [row] = await sql<WebhookRow[]>`
    update webhooks
    set
      url = coalesce(${change.url ?? null}, url),
      events = coalesce(${change.events ?? null}::text[], events),
      active = coalesce(${change.active ?? null}, active)
    where id = ${id}
      and organization_id = ${organizationId}
    returning ${webhookColumns(sql)}
  `;
  return row;
}

export async function deleteWebhook(sql: Db, organizationId: string, id: string): Promise<boolean> {
  const rows = await sql`
    delete from webhooks
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

/** Queues one delivery per active webhook of the organization subscribed to the event; returns their ids. */
export async function enqueueDeliveries(
  sql: Db,
  organizationId: string,
  event: WebhookEvent,
  payload: WebhookPayload,
  now: Date,
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at)
    select
      w.id,
      ${event},
      ${sql.json(payload as never)},
      ${now},
      ${now}
    from webhooks w
    where w.organization_id = ${organizationId}
      and w.active
      and ${event} = any(w.events)
    returning id
  `;
  return rows.map((row) => row.id);
}

/** Queues a delivery to one webhook, whatever it subscribes to (a ping, a redelivery). */
export async function enqueueDelivery(
  sql: Db,
  webhookId: string,
  event: DeliveryEvent,
  payload: WebhookPayload,
  now: Date,
): Promise<DeliveryRow> {
  const [row] = await sql<DeliveryRow[]>`
    insert into webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at)
    values (${webhookId}, ${event}, ${sql.json(payload as never)}, ${now}, ${now})
    returning ${deliveryColumns(sql)}
  `;
  return row!;
}

export async function listDeliveries(sql: Db, webhookId: string, limit: number): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select ${deliveryColumns(sql)}
    from webhook_deliveries
    where webhook_id = ${webhookId}
    order by created_at desc, id desc
    limit ${limit}
  `;
}

export async function findDelivery(sql: Db, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await sql<DeliveryRow[]>`
    select ${deliveryColumns(sql)}
    from webhook_deliveries
    where id = ${id}
      and webhook_id = ${webhookId}
  `;
  return row;
}

export interface ClaimedDelivery {
  id: string;
  event: DeliveryEvent;
  payload: WebhookPayload;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Takes up to `limit` due deliveries of active webhooks: counts the attempt and moves next_attempt_at to
 * `leaseUntil`, so that a worker that dies mid-send leaves the delivery to be tried again after the lease.
 */
export async function claimDueDeliveries(
  sql: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`
    with due as (
      select d.id
      from webhook_deliveries d
      join webhooks w on w.id = d.webhook_id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and w.active
      order by d.next_attempt_at, d.id
      limit ${limit}
      for update of d skip locked
    )
    update webhook_deliveries d
    set
      attempts = d.attempts + 1,
      next_attempt_at = ${leaseUntil}
    from due, webhooks w
    where d.id = due.id
      and w.id = d.webhook_id
    returning
      d.id,
      d.event,
      d.payload,
      d.attempts,
      w.url,
      w.secret
  `;
}

/** Records the outcome of an attempt: delivered, to be retried at `retryAt`, or failed for good (retryAt null). */
export async function recordAttempt(
  sql: Db,
  id: string,
  outcome: { delivered: boolean; responseCode: number | null; error: string | null; at: Date; retryAt: Date | null },
): Promise<void> {
  const status: DeliveryStatus = outcome.delivered ? 'delivered' : outcome.retryAt ? 'pending' : 'failed';
  await sql`
    update webhook_deliveries
    set
      status = ${status},
      last_response_code = ${outcome.responseCode},
      last_error = ${outcome.error},
      next_attempt_at = ${outcome.retryAt ?? outcome.at},
      delivered_at = ${outcome.delivered ? outcome.at : null}
    where id = ${id}
  `;
}

/** The earliest moment a pending delivery is due, so the worker can sleep until then. */
export async function nextDueAt(sql: Db): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`
    select min(d.next_attempt_at) as at
    from webhook_deliveries d
    join webhooks w on w.id = d.webhook_id
    where d.status = 'pending'
      and w.active
  `;
  return row?.at ?? null;
}
