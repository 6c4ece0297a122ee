// Outgoing webhooks as rules: which events exist, the payload, how deliveries are signed, when a failed one is
// retried, and which targets are refused to keep the server from being used against its own network (SSRF).
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeHexLowerCase } from '@oslojs/encoding';

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

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** Why a URL cannot be a webhook target, or null when it can (its host is resolved again when sending). */
export function webhookUrlError(url: string, options: { allowPrivateNetworks: boolean }): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL such as https://example.com/hooks/lastmile';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not contain a user name or password';
  if (options.allowPrivateNetworks) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal'))
    return 'must not point at this server or a private network';
  if (isIpAddress(host) && isPrivateAddress(host)) return 'must not point at this server or a private network';
  return null;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpAddress(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

function ipv4Bytes(address: string): number[] | null {
  const match = IPV4.exec(address);
  if (!match) return null;
  const bytes = match.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (!v6.includes(':')) return true; // not an address we understand: refuse
  const mapped = /^(?:0*:)*:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(v6) ?? /^::(\d{1,3}(?:\.\d{1,3}){3})$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const groups = expandIpv6(v6);
  if (!groups) return true;
  if (groups.every((g) => g === 0)) return true; // ::
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true; // ::1
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return true; // mapped, hex form
  const first = groups[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x64 && groups[1] === 0xff9b) // NAT64 to IPv4 (may reach private IPv4)
  );
}

function expandIpv6(address: string): number[] | null {
  const [head, tail, ...rest] = address.split('::');
  if (rest.length) return null;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
