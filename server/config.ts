// Reads the environment once into a typed, frozen config and fails fast with one clear line per bad value.
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './domain/client-address.ts';

const portMessage = 'must be a whole number from 0 to 65535';
const port = z.coerce.number({ error: portMessage }).int(portMessage).min(0, portMessage).max(65535, portMessage);

const statementTimeoutMessage = 'must be a whole number of milliseconds from 0 (no limit) to 2147483647';
const connectTimeoutMessage = 'must be a whole number of seconds from 1 to 600';
const futureToleranceMessage = 'must be a whole number of hours from 0 to 8760 (a year)';

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://localhost:3000' })
    .optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  // A statement PostgreSQL has not finished by then is cancelled (57014) and the request answers 503.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ error: statementTimeoutMessage })
    .int(statementTimeoutMessage)
    .min(0, statementTimeoutMessage)
    .max(2_147_483_647, statementTimeoutMessage)
    .default(10_000),
  // A new connection PostgreSQL has not accepted by then fails (CONNECT_TIMEOUT) and the request answers 503.
  DATABASE_CONNECT_TIMEOUT_S: z.coerce
    .number({ error: connectTimeoutMessage })
    .int(connectTimeoutMessage)
    .min(1, connectTimeoutMessage)
    .max(600, connectTimeoutMessage)
    .default(10),
  // A reading dated further ahead than this is refused (400 naming `at`): a source's skewed clock or time zone is
  // forgiven, a reading typed with the wrong year is not.
  READING_FUTURE_TOLERANCE_HOURS: z.coerce
    .number({ error: futureToleranceMessage })
    .int(futureToleranceMessage)
    .min(0, futureToleranceMessage)
    .max(8760, futureToleranceMessage)
    .default(24),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: port.optional(),
  // Unset: seed only the embedded database (a DATABASE_URL may be production, and the demo's password is published).
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOGIN_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a positive whole number' }).int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number({ error: 'must be a positive whole number' }).int().min(1).default(900),
  SYNC_MAX_CONNECTIONS_PER_IP: z.coerce.number({ error: 'must be a positive whole number' }).int().min(1).default(1000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1 to 64 letters, digits, ":", "_" or "-"')
    .default('lastmile'),
  SYNC_UPGRADES_PER_MINUTE_PER_IP: z.coerce
    .number({ error: 'must be a positive whole number' })
    .int()
    .min(1)
    .default(3000),
  TRUSTED_PROXIES: z.string().optional(),
  SIGNUPS_PER_HOUR_PER_IP: z.coerce.number({ error: 'must be a positive whole number' }).int().min(1).default(100),
});

export type LogLevel = z.infer<typeof envSchema>['LOG_LEVEL'];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** The URL people open; used for invite links and the Secure cookie flag. */
  readonly publicUrl: string;
  /** Origins allowed to make cookie-authenticated state changes and websocket upgrades. */
  readonly allowedOrigins: readonly string[];
  readonly databaseUrl: string | undefined;
  /**
   * How long the server's pool lets one statement run (ms, 0: no limit) and waits for a new connection (s); past
   * either, the request answers 503 instead of hanging while PostgreSQL is frozen or locked.
   */
  readonly databaseTimeouts: { readonly statementMs: number; readonly connectSeconds: number };
  /** How far ahead of the server's clock a reading may be dated (READING_FUTURE_TOLERANCE_HOURS), in ms. */
  readonly readingFutureToleranceMs: number;
  readonly dataDir: string;
  readonly embeddedPgPort: number | undefined;
  /** Seed the demo into an empty database: SEED_DEMO, or when it is unset, only on the embedded database. */
  readonly seedDemo: boolean;
  /** SEED_DEMO was set (rather than decided by DATABASE_URL), for the start-up line that says why. */
  readonly seedDemoExplicit: boolean;
  readonly logLevel: LogLevel;
  readonly loginThrottle: { readonly maxAttempts: number; readonly windowMs: number };
  /**
   * Review-room sockets one address may hold open, and upgrade attempts it may make per minute (an office's NAT
   * puts many people behind one address, so both are generous; they stop floods, not meetings).
   */
  readonly syncLimits: { readonly connectionsPerIp: number; readonly upgradesPerMinutePerIp: number };
  /** Several processes serving the same reviews share this Redis (none: one process serves everything). */
  readonly redis: { readonly url: string; readonly prefix: string } | undefined;
  /** Proxies (addresses and CIDR ranges) whose X-Forwarded-For names the client; none: the peer is the client. */
  readonly trustedProxies: TrustedProxies;
  /** Sign-up attempts one address may make per hour (each costs a password hash). */
  readonly signupsPerHourPerIp: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankAsMissing = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(blankAsMissing);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).origin;
  const extraOrigins = (e.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const badOrigin = extraOrigins.find((origin) => !URL.canParse(origin));
  if (badOrigin) throw new ConfigError([`ALLOWED_ORIGINS: "${badOrigin}" is not a URL`]);
  const trustedProxies = parseTrustedProxies(e.TRUSTED_PROXIES ?? '');
  if (trustedProxies.invalid.length > 0)
    throw new ConfigError([
      `TRUSTED_PROXIES: ${trustedProxies.invalid.map((entry) => `"${entry}"`).join(', ')} is not an address or CIDR range`,
    ]);
  const allowedOrigins = [
    publicUrl,
    // The same server reached through the other loopback spelling.
    ...(new URL(publicUrl).hostname === 'localhost' ? [publicUrl.replace('localhost', '127.0.0.1')] : []),
    ...extraOrigins.map((origin) => new URL(origin).origin),
  ];
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    allowedOrigins: Object.freeze([...new Set(allowedOrigins)]),
    databaseUrl: e.DATABASE_URL,
    databaseTimeouts: Object.freeze({
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      connectSeconds: e.DATABASE_CONNECT_TIMEOUT_S,
    }),
    readingFutureToleranceMs: e.READING_FUTURE_TOLERANCE_HOURS * 3600_000,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL,
    seedDemoExplicit: e.SEED_DEMO !== undefined,
    logLevel: e.LOG_LEVEL,
    loginThrottle: Object.freeze({
      maxAttempts: e.LOGIN_MAX_ATTEMPTS,
      windowMs: e.LOGIN_WINDOW_SECONDS * 1000,
    }),
    syncLimits: Object.freeze({
      connectionsPerIp: e.SYNC_MAX_CONNECTIONS_PER_IP,
      upgradesPerMinutePerIp: e.SYNC_UPGRADES_PER_MINUTE_PER_IP,
    }),
    redis: e.REDIS_URL ? Object.freeze({ url: e.REDIS_URL, prefix: e.REDIS_PREFIX }) : undefined,
    trustedProxies: Object.freeze(trustedProxies.ranges),
    signupsPerHourPerIp: e.SIGNUPS_PER_HOUR_PER_IP,
  });
}
