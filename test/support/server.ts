// Starts the real app on a free port against a fresh test database, with a clock the test can move.
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { handleUpgrades } from '../../server/http/websocket-upgrade.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { EventBus } from '../../server/domain/events.ts';
import { createEventBus } from '../../server/services/event-bus.ts';
import { MAX_WS_MESSAGE_BYTES } from '../../server/main.ts';
import { BackgroundWork } from '../../server/background.ts';
import { createNotifier } from '../../server/services/notify/notifier.ts';
import { loadNotifyOptions, type NotifyOptions } from '../../server/services/notify/options.ts';
import { Rooms, type RoomsOptions } from '../../server/sync/rooms.ts';
import { LiveStreams } from '../../server/auth/live-streams.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServer {
  /** http://127.0.0.1:port: also the allowed Origin. */
  origin: string;
  port: number;
  db: TestDatabase;
  /** The app's domain event bus, to observe what it publishes. */
  events: EventBus;
  clock: { now: Date; advance(ms: number): void };
  /** The live rooms of this server. */
  rooms: Rooms;
  /** The open event streams of this server. */
  liveStreams: LiveStreams;
  /**
   * Resolves once the server has done everything the events so far set off (triage runs, notifications, webhook
   * queueing, verification, imports): the positive signal to wait for before checking that something did not happen.
   */
  settled(): Promise<void>;
  /** Stops like a real shutdown (rooms commit what is pending); keeps the database for a restart if asked. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: {
    db?: TestDatabase;
    rooms?: Partial<Omit<RoomsOptions, 'sql' | 'logger'>>;
    /** Webhook settings; private targets are allowed unless a test asks for the production rule. */
    notify?: Partial<NotifyOptions>;
  } = {},
): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase());
  let offsetMs = 0;
  // The app needs the port (for its allowed Origin), and the port exists only once listening.
  type Fetch = (request: Request, bindings: unknown) => Response | Promise<Response>;
  const route: { fetch?: Fetch } = {};
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  const fetch = (request: Request, bindings: unknown) => route.fetch!(request, bindings);
  const server = createAdaptorServer({ fetch });
  handleUpgrades(server, fetch, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({ PORT: String(port), PUBLIC_URL: origin, LOG_LEVEL: 'error', ...env });
  const logger = createLogger(config.logLevel);
  const events = createEventBus(logger);
  const rooms = new Rooms({ sql: db.sql, logger, now: () => new Date(Date.now() + offsetMs), ...options.rooms });
  const liveStreams = new LiveStreams({ sql: db.sql, logger, now: () => new Date(Date.now() + offsetMs) });
  // Tests post webhooks to receivers on 127.0.0.1: the documented escape hatch (WEBHOOK_ALLOW_PRIVATE_NETWORKS).
  const background = new BackgroundWork(logger);
  const notifier = createNotifier({
    sql: db.sql,
    events,
    logger,
    background,
    now: () => new Date(Date.now() + offsetMs),
    options: { ...loadNotifyOptions(), allowPrivateNetworks: true, ...options.notify },
  });
  const app = createApp({
    notifier,
    background,
    rooms,
    liveStreams,
    sql: db.sql,
    config,
    logger,
    events,
    now: () => new Date(Date.now() + offsetMs),
  });
  route.fetch = app.fetch as Fetch;
  return {
    origin,
    port,
    db,
    events,
    clock: {
      get now() {
        return new Date(Date.now() + offsetMs);
      },
      advance(ms: number) {
        offsetMs += ms;
      },
    },
    rooms,
    liveStreams,
    settled: () => background.settled(),
    async stop(stopOptions = {}) {
      await rooms.close();
      liveStreams.stop();
      // Imports, triage runs and notifications started by the test finish before the database goes.
      await background.settled();
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      if (!stopOptions.keepDatabase) await db.drop();
    },
  };
}
