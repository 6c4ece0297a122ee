// Sends queued webhook deliveries in the background, never inside the request that caused them. Each attempt is
// signed afresh (new timestamp); a failure is retried on the policy's schedule until it runs out, then the
// delivery is 'failed'. The worker sleeps until the next delivery is due, polls now and then for deliveries other
// processes queued, and can be woken when this process queues one.
import type { Sql } from '../../db/connect.ts';
import {
  answeredError,
  DELIVERY_ERRORS,
  isDelivered,
  nextAttemptAt,
  signWebhook,
  timedOutError,
  WEBHOOK_HEADERS,
  type RetryPolicy,
} from '../../domain/webhooks.ts';
import { errorFields, type Logger } from '../../logger.ts';
import { claimDueDeliveries, nextDueAt, recordAttempt, type ClaimedDelivery } from '../../store/webhooks.ts';
import type { NotifyOptions } from './options.ts';
import { DeliveryFailure, postWebhook, type FailureKind, type SendOptions } from './send.ts';

const BATCH = 20;
/** Longer than any attempt takes, so a lease only lapses when its worker died. */
const LEASE_MARGIN_MS = 30_000;

export interface WebhookWorkerDeps {
  sql: Sql;
  logger: Logger;
  now: () => Date;
  options: NotifyOptions;
  /** How targets are resolved and which addresses are this server's (tests answer for names they make up). */
  send?: Pick<SendOptions, 'resolve' | 'ownAddresses'>;
}

export interface WebhookWorker {
  /** Sends every delivery due now; resolves with how many attempts it made. */
  runOnce(): Promise<number>;
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  start(): void;
  /** Stops the timer and waits for attempts in flight. */
  stop(): Promise<void>;
}

export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const policy: RetryPolicy = { delaysMs: deps.options.retryDelaysMs };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let started = false;
  let woken = false;

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(deps.now().getTime() / 1000);
    let responseCode: number | null = null;
    let error: string | null = null;
    let detail: string | null = null;
    try {
      responseCode = await postWebhook(
        delivery.url,
        body,
        {
          [WEBHOOK_HEADERS.event]: delivery.event,
          [WEBHOOK_HEADERS.delivery]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, timestamp, body),
        },
        { ...deps.options, ...deps.send },
      );
      if (!isDelivered(responseCode)) error = answeredError(responseCode);
    } catch (failure) {
      // The log of deliveries is read by organization admins: it says what kind of failure, never which error.
      const kind: FailureKind = failure instanceof DeliveryFailure ? failure.kind : 'unreachable';
      error = shownError(kind, deps.options.timeoutMs);
      detail = failure instanceof Error ? failure.message : String(failure);
    }
    const at = deps.now();
    const delivered = error === null;
    const retryAt = delivered ? null : nextAttemptAt(delivery.attempts, at, policy);
    await recordAttempt(deps.sql, delivery.id, { delivered, responseCode, error, at, retryAt });
    if (!delivered)
      deps.logger.warn('webhook delivery failed', {
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        error,
        detail,
        retryAt: retryAt?.toISOString() ?? null,
      });
  }

  async function runOnce(): Promise<number> {
    const now = deps.now();
    const lease = new Date(now.getTime() + deps.options.timeoutMs + LEASE_MARGIN_MS);
    const claimed = await claimDueDeliveries(deps.sql, now, lease, BATCH);
    await Promise.all(claimed.map(attempt));
    return claimed.length;
  }

  function schedule(delayMs: number) {
    clearTimeout(timer);
    if (!started) return;
    timer = setTimeout(() => void tick(), delayMs);
  }

  async function tick(): Promise<void> {
    if (running) {
      woken = true;
      return;
    }
    woken = false;
    let delay = deps.options.pollIntervalMs;
    running = (async () => {
      try {
        while (started && (await runOnce()) === BATCH);
        const due = await nextDueAt(deps.sql);
        if (due) delay = Math.min(delay, Math.max(0, due.getTime() - deps.now().getTime()));
      } catch (error) {
        deps.logger.error('webhook worker failed', errorFields(error));
      }
    })();
    await running;
    running = undefined;
    schedule(woken ? 0 : delay);
  }

  return {
    runOnce,
    wake: () => {
      if (running) woken = true;
      else schedule(0);
    },
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      await running;
    },
  };
}

function shownError(kind: FailureKind, timeoutMs: number): string {
  if (kind === 'timeout') return timedOutError(timeoutMs);
  // A name that does not resolve and one that resolves to a refused address read the same, so the log cannot be
  // used to learn which internal names exist.
  if (kind === 'refused' || kind === 'unresolved') return DELIVERY_ERRORS.noPublicAddress;
  return DELIVERY_ERRORS.unreachable;
}
