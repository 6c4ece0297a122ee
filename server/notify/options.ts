// Settings of notifications and webhooks, read from the environment once (with the same fail-fast errors as
// config.ts): retry schedule, timeout, scan interval, and whether webhooks may target private networks.
import { z } from 'zod';
import { ConfigError } from '../config.ts';
import { DEFAULT_RETRY_DELAYS_MS } from '../domain/webhooks.ts';

export interface NotifyOptions {
  /**
   * Whether webhook URLs may point at loopback, private, link-local (cloud metadata) addresses. Off in production:
   * otherwise any organization admin could make the server probe its own network (SSRF).
   */
  readonly allowPrivateNetworks: boolean;
  /** Delay before each retry of a failed delivery; there is one attempt more than delays. */
  readonly retryDelaysMs: readonly number[];
  /** A receiver must answer within this time. */
  readonly timeoutMs: number;
  /** How often the due soon / overdue scan runs. */
  readonly scanIntervalMs: number;
  /** How often the worker looks for due deliveries when nothing woke it (other processes may queue some). */
  readonly pollIntervalMs: number;
}

const positiveInt = z.coerce.number({ error: 'must be a positive whole number' }).int().min(1);

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).optional(),
  WEBHOOK_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be delays in milliseconds separated by commas, e.g. 1000,5000,30000')
    .optional(),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  NOTIFY_SCAN_INTERVAL_SECONDS: positiveInt.default(60),
  WEBHOOK_POLL_INTERVAL_MS: positiveInt.default(5_000),
});

export function loadNotifyOptions(env: Record<string, string | undefined> = process.env): NotifyOptions {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  // Development and tests post to receivers on localhost; a production server must be told explicitly.
  const isLocal = e.NODE_ENV === 'development' || e.NODE_ENV === 'test';
  return Object.freeze({
    allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS ? e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' : isLocal,
    retryDelaysMs: Object.freeze(
      e.WEBHOOK_RETRY_DELAYS_MS ? e.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number) : [...DEFAULT_RETRY_DELAYS_MS],
    ),
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    scanIntervalMs: e.NOTIFY_SCAN_INTERVAL_SECONDS * 1000,
    pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
  });
}
