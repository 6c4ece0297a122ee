// Outgoing webhooks as rules: which events exist, the payload, how deliveries are signed, when a failed one is
// retried, and which targets are refused to keep the server from being used against its own network (SSRF).
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { hostProblem } from './network-targets.ts';

/** What an organization can subscribe to. `review.minutes` is accepted now and sent once reviews publish minutes. */
export const WEBHOOK_EVENTS = [
  'action.recorded',
  'action.committed',
  'action.overdue',
  'triage.pivoted',
  'review.minutes',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent on request only ("send test"), to every webhook whatever it subscribes to. */
export type DeliveryEvent = WebhookEvent | 'ping';

export const isWebhookEvent = (value: string): value is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(value);

export const WEBHOOK_HEADERS = {
  event: 'X-Lastmile-Event',
  delivery: 'X-Lastmile-Delivery',
  timestamp: 'X-Lastmile-Timestamp',
  signature: 'X-Lastmile-Signature',
} as const;

export interface WebhookPayload {
  event: DeliveryEvent;
  organizationId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export function webhookPayload(
  event: DeliveryEvent,
  organizationId: string,
  occurredAt: string,
  data: Record<string, unknown>,
): WebhookPayload {
  return { event, organizationId, occurredAt, data };
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<raw body>` with the webhook's secret. The timestamp (Unix
 * seconds, also sent as X-Lastmile-Timestamp) is inside the signature, so a captured request cannot be replayed
 * later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const encoder = new TextEncoder();
  const mac = hmac(SHA256, encoder.encode(secret), encoder.encode(`${timestamp}.${body}`));
  return `sha256=${encodeHexLowerCase(mac)}`;
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps. */
export function verifyWebhookSignature(
  secret: string,
  request: { timestamp: string | null; signature: string | null; body: string },
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(request.timestamp);
  if (!request.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const encoder = new TextEncoder();
  const expected = encoder.encode(signWebhook(secret, timestamp, request.body));
  const given = encoder.encode(request.signature);
  return expected.length === given.length && constantTimeEqual(expected, given);
}

/** Waits before the 2nd, 3rd… attempt. Six attempts over about 13 minutes by default. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;

export interface RetryPolicy {
  /** Delay before each retry; one attempt more than there are delays. */
  delaysMs: readonly number[];
}

export const maxAttempts = (policy: RetryPolicy) => policy.delaysMs.length + 1;

/** After `attempts` failed attempts: when to try again, or null when the delivery has failed for good. */
export function nextAttemptAt(attempts: number, failedAt: Date, policy: RetryPolicy): Date | null {
  const delay = policy.delaysMs[attempts - 1];
  if (attempts < 1 || delay === undefined) return null;
  return new Date(failedAt.getTime() + delay);
}

/** Receivers acknowledge with any 2xx; redirects are not followed (they could point anywhere). */
export const isDelivered = (status: number) => status >= 200 && status < 300;

/**
 * What the delivery log says about a failed attempt: the receiver's HTTP status or one of these generic
 * messages, never the network error itself ("connect ECONNREFUSED 10.0.0.5:22" would tell an admin which ports
 * are open on whatever the URL reaches). The details go to the server's log only.
 */
export const DELIVERY_ERRORS = {
  unreachable: 'Could not connect to the receiver',
  noPublicAddress: 'Could not connect: the host has no public address',
} as const;
export const answeredError = (status: number) => `The receiver answered ${status}`;
export const timedOutError = (timeoutMs: number) => `No answer within ${timeoutMs} ms`;

const GENERIC_ERROR = /^(The receiver answered \d{3}|No answer within \d+ ms)$/;

/** The stored error as the API shows it: an older version stored network errors verbatim, which are hidden. */
export function shownDeliveryError(stored: string | null): string | null {
  if (stored === null) return null;
  const known = (Object.values(DELIVERY_ERRORS) as string[]).includes(stored) || GENERIC_ERROR.test(stored);
  return known ? stored : DELIVERY_ERRORS.unreachable;
}

export interface TargetRules {
  /** The escape hatch for development and tests: any address, this server's included. */
  allowPrivateNetworks: boolean;
  /** This server's interface addresses (os.networkInterfaces()), refused like loopback. */
  ownAddresses?: readonly string[];
}

/**
 * Why a URL cannot be a webhook target, or null when it can. Judged from the URL alone (a host that is a
 * special-purpose or own address literal, in any spelling the URL parser folds, or a local name such as
 * localhost); a host name that passes is resolved when sending and every address it resolves to is judged too.
 */
export function webhookUrlError(url: string, rules: TargetRules): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL such as https://example.com/hooks/lastmile';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not contain a user name or password';
  if (rules.allowPrivateNetworks) return null;
  const problem = hostProblem(parsed.hostname, rules.ownAddresses ?? []);
  return problem && `must point at a public address, not this server or a private network: ${problem}`;
}
