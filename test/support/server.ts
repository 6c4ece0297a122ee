// Starts the real app on a free port against a fresh test database, with a clock the test can move.
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createEventBus, type EventBus } from '../../server/events.ts';
import { MAX_WS_MESSAGE_BYTES } from '../../server/main.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServer {
  /** http://127.0.0.1:port: also the allowed Origin. */
  origin: string;
  port: number;
  db: TestDatabase;
  /** The app's domain event bus, to observe what it publishes. */
  events: EventBus;
  clock: { now: Date; advance(ms: number): void };
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  let offsetMs = 0;
  // The app needs the port (for its allowed Origin), and the port exists only once listening.
  type Fetch = (request: Request, bindings: unknown) => Response | Promise<Response>;
  const route: { fetch?: Fetch } = {};
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  const server = createAdaptorServer({
    fetch: (request: Request, bindings: unknown) => route.fetch!(request, bindings),
    websocket: { server: wss },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({ PORT: String(port), PUBLIC_URL: origin, LOG_LEVEL: 'error', ...env });
  const logger = createLogger(config.logLevel);
  const events = createEventBus(logger);
  const app = createApp({
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
    async stop() {
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await db.drop();
    },
  };
}
