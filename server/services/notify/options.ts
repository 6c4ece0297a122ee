// Settings of notifications and webhooks, read from the environment once (with the same fail-fast errors as
// config.ts): retry schedule, timeout, scan interval, and whether webhooks may target private networks.
// That last one is an explicit escape hatch, off unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true: no NODE_ENV turns it
// on, since a server started with NODE_ENV=development by mistake would otherwise let admins probe its network.
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { DEFAULT_RETRY_DELAYS_MS } from '../../domain/webhooks.ts';

export interface NotifyOptions {
  /**
   * Whether webhook URLs may point at this server, loopback, private, link-local (cloud metadata) or any other
   * special-purpose address. Off unless set: otherwise any organization admin could make the server probe its own
   * network (SSRF). Development against a receiver on localhost and the tests turn it on explicitly.
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
  return Object.freeze({
    allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    retryDelaysMs: Object.freeze(
      e.WEBHOOK_RETRY_DELAYS_MS ? e.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number) : [...DEFAULT_RETRY_DELAYS_MS],
    ),
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    scanIntervalMs: e.NOTIFY_SCAN_INTERVAL_SECONDS * 1000,
    pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
  });
}
