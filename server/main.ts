// config → database → migrations → demo seed → createApp → listen → graceful shutdown.
import { serve, type ServerType } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { handleUpgrades } from './http/websocket-upgrade.ts';
import { seedDemo, type SeedResult } from '../db/seed/demo.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { connect } from './db/connect.ts';
import { resolveDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { LiveStreams } from './auth/live-streams.ts';
import { RedisHub } from './sync/redis-hub.ts';
import { Rooms, type RoomsOptions } from './sync/rooms.ts';
import { createEventBus } from './services/event-bus.ts';
import { createTriageRunner, type TriageRunnerDeps } from './services/triage-runner.ts';
import { BackgroundWork } from './background.ts';
import { createNotifier } from './services/notify/notifier.ts';
import { loadNotifyOptions } from './services/notify/options.ts';
import { projectPath } from './project-root.ts';

export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
export const defaultStaticDir = projectPath('build');

export interface RunningServer {
  url: string;
  port: number;
  seed: SeedResult | undefined;
  databaseDescription: string;
  /** For tools that share the server's database (the benchmark's data generator). */
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  options: {
    staticDir?: string;
    logger?: Logger;
    onStatus?: (message: string) => void;
    /** The benchmark's server child only: `judgeUpdates: false` to measure the permission check's cost. */
    rooms?: Pick<RoomsOptions, 'judgeUpdates'>;
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const status = options.onStatus ?? ((message: string) => logger.info(message));
  const notifyOptions = loadNotifyOptions();
  // stop() below ends the embedded cluster last, once the rooms have committed what they hold.
  const database = await resolveDatabase(config, status, {
    warn: (message) => logger.warn(message),
    stoppedByCaller: true,
  });
  const sql = connect(database.url, {
    statementTimeoutMs: config.databaseTimeouts.statementMs,
    connectTimeoutSeconds: config.databaseTimeouts.connectSeconds,
  });
  let hub: RedisHub | undefined;
  try {
    await migrate(database.url, status);
    const seed = config.seedDemo ? await seedDemo(sql) : undefined;
    if (config.redis) {
      status('Connecting to Redis to share review rooms with other processes…');
      hub = new RedisHub({ ...config.redis, logger });
      await hub.connect();
    }
    const rooms = new Rooms({ sql, logger, hub, ...options.rooms });
    const liveStreams = new LiveStreams({ sql, logger, hub });
    const events = createEventBus(logger);
    hub?.bridge(events);
    const background = new BackgroundWork(logger);
    const notifier = createNotifier({ sql, events, logger, background, now: () => new Date(), options: notifyOptions });
    const app = createApp({
      sql,
      config,
      logger,
      rooms,
      liveStreams,
      events,
      notifier,
      background,
      staticDir: options.staticDir ?? defaultStaticDir,
    });
    if (seed?.reviewId) await pivotDemoReview({ sql, rooms, events, logger, background }, seed.reviewId);
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
    const server = await listen(app.fetch, config, wss);
    notifier.start();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      url: config.port === port ? config.publicUrl : `http://localhost:${port}`,
      port,
      seed,
      databaseDescription: database.description,
      databaseUrl: database.url,
      async stop() {
        // Rooms first: their clients are told to go, and every pending board update is committed.
        await rooms.close();
        liveStreams.stop();
        await hub?.close();
        for (const client of wss.clients) client.close(1001, 'Server shutting down');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Event streams never end by themselves; without this, close() would wait for them forever.
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
        // Timers stop, and deliveries, imports and triage runs in flight finish, before the pool closes.
        await notifier.stop();
        await background.settled();
        await sql.end({ timeout: 5 });
        await database.embedded?.stop();
      },
    };
  } catch (error) {
    await hub?.close();
    await sql.end({ timeout: 1 });
    await database.embedded?.stop();
    throw error;
  }
}

/** The demo review is live with fuel savings off track: its agenda pivots at once, as it would in a meeting. */
async function pivotDemoReview(deps: Omit<TriageRunnerDeps, 'now'>, reviewId: string): Promise<void> {
  const runner = createTriageRunner({ ...deps, now: () => new Date() });
  try {
    await runner.run(reviewId);
  } catch (error) {
    deps.logger.error('could not pivot the demo review', { error: String(error) });
  } finally {
    runner.stop();
  }
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  config: Config,
  wss: WebSocketServer,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(server));
    handleUpgrades(server, fetch, wss);
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${config.port} is already in use: set PORT to a free port`)
          : error,
      );
    });
  });
}
