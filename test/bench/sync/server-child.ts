// One sync server under benchmark, in its own process (so its CPU and memory are its own): Lastmile as
// `npm start` runs it (embedded PostgreSQL, authentication, durable acknowledgements), the reference
// `@y/websocket-server`, or `@hocuspocus/server`. Answers `stats` requests over IPC (BENCH_HEAP_SNAPSHOTS: a
// directory to write a heap snapshot to at each sample after a collection, to see what a figure is made of).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { getHeapSnapshot } from 'node:v8';
import { WebSocketServer } from 'ws';
import { loadConfig } from '../../../server/config.ts';
import { findFreePort } from '../../../server/db/embedded.ts';
import { startServer } from '../../../server/main.ts';
import { BoardWriter } from '../../../server/sync/board-writer.ts';
import { Room } from '../../../server/sync/room.ts';
import { Rooms } from '../../../server/sync/rooms.ts';
import { NO_PERMISSION_CHECK, type ChildReady, type ChildRequest, type ChildStats, type ServerKind } from './types.ts';

const kind = process.argv[2] as ServerKind;
// Lastmile without judging client updates by the board's permissions (`npm run bench:permissions-fanout`): set by
// this process's own argument, as a Rooms option. The production server has no such switch.
const judgeUpdates = !process.argv.slice(3).includes(NO_PERMISSION_CHECK);

interface Started {
  port: number;
  /** Documents (rooms) this server holds in memory now. */
  rooms(): number;
  /** Server-side commit-to-acknowledgement latencies recorded since the previous call (Lastmile only). */
  takeAckLatencies(): number[];
  stop(): Promise<void>;
}

async function startLastmile(): Promise<Started> {
  // Read-only observation from outside server/sync: remember the process's Rooms instance the first time a
  // connection reserves a room, to count loaded rooms. Behaviour is unchanged.
  const instances = new Set<Rooms>();
  const reserve = Rooms.prototype.reserve;
  Rooms.prototype.reserve = function (this: Rooms, reviewId: string) {
    instances.add(this);
    return reserve.call(this, reviewId);
  };
  // Likewise, each update's time from its room's writer queueing it (as the room applies it) to the room sending
  // the acknowledgement of its commit: the server's own part of edit → durable ack, without the load generator's.
  const queuedAt = new WeakMap<object, number[]>();
  let ackLatencies: number[] = [];
  const enqueue = BoardWriter.prototype.enqueue;
  BoardWriter.prototype.enqueue = function (this: BoardWriter, update) {
    let times = queuedAt.get(this);
    if (!times) queuedAt.set(this, (times = []));
    times.push(performance.now());
    enqueue.call(this, update);
  };
  const acknowledge = Room.prototype.acknowledge;
  Room.prototype.acknowledge = function (this: Room, stateVector: Uint8Array) {
    const writer = this.writer as BoardWriter;
    const times = queuedAt.get(writer);
    if (times) {
      // What is still queued came after the committed batch; everything before it is acknowledged now.
      const now = performance.now();
      for (const at of times.splice(0, Math.max(0, times.length - writer.pendingCount))) ackLatencies.push(now - at);
    }
    acknowledge.call(this, stateVector);
  };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-sync-bench-'));
  const port = await findFreePort();
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    // Every benchmark client comes from 127.0.0.1; the per-address limits (stops for floods) would count them
    // as one office. The per-connection message limit stays as shipped.
    SYNC_MAX_CONNECTIONS_PER_IP: '100000',
    SYNC_UPGRADES_PER_MINUTE_PER_IP: '100000',
  });
  const server = await startServer(config, { onStatus: () => {}, rooms: { judgeUpdates } });
  return {
    port: server.port,
    rooms: () => [...instances].reduce((sum, rooms) => sum + rooms.loaded.size, 0),
    takeAckLatencies: () => {
      const taken = ackLatencies;
      ackLatencies = [];
      return taken;
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startYWebsocketServer(): Promise<Started> {
  const { docs, setupWSConnection } = await import('@y/websocket-server/utils');
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  const server = http.createServer((_request, response) => response.end('okay'));
  server.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
  );
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    rooms: () => docs.size,
    takeAckLatencies: () => [],
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startHocuspocus(): Promise<Started> {
  const { Server } = await import('@hocuspocus/server');
  const port = await findFreePort();
  const server = new Server({ port, address: '127.0.0.1', quiet: true });
  await server.listen();
  return {
    port,
    rooms: () => server.hocuspocus.getDocumentsCount(),
    takeAckLatencies: () => [],
    stop: () => server.destroy(),
  };
}

const starters: Record<ServerKind, () => Promise<Started>> = {
  lastmile: startLastmile,
  'y-websocket-server': startYWebsocketServer,
  hocuspocus: startHocuspocus,
};

/**
 * Collects everything collectable and measures what is left. A plain `gc()` (even twice) can leave tens of
 * megabytes that only V8's "all available garbage" collection frees, and taking a heap snapshot runs exactly that
 * one: the same for every server. The figure is the sum of the snapshot's JavaScript objects without compiled code
 * (V8 compiles functions at moments of its choosing, hundreds of KB at a time, which made `heapUsed` differences
 * swing by a KB per connection between runs) and without native entries (not in V8's heap).
 */
async function collectGarbage(): Promise<number> {
  const chunks: Buffer[] = [];
  const snapshot = getHeapSnapshot();
  snapshot.on('data', (chunk: Buffer) => chunks.push(chunk));
  await finished(snapshot);
  const json = Buffer.concat(chunks);
  if (process.env.BENCH_HEAP_SNAPSHOTS)
    await writeFile(path.join(process.env.BENCH_HEAP_SNAPSHOTS, `${kind}-${Date.now()}.heapsnapshot`), json);
  return retainedBytes(json.toString('utf8'));
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

const NOT_COUNTED = new Set(['code', 'native', 'synthetic']);

function retainedBytes(json: string): number {
  const { snapshot, nodes } = JSON.parse(json) as HeapSnapshot;
  const fields = snapshot.meta.node_fields;
  const typeNames = snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length)
    if (!NOT_COUNTED.has(typeNames[nodes[i + typeAt]!]!)) bytes += nodes[i + sizeAt]!;
  return bytes;
}

const started = await starters[kind]();
const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', port: started.port } satisfies ChildReady);

process.on('message', (request: ChildRequest) => {
  void (async () => {
    if (request.type === 'stats') {
      const retained = request.gc ? await collectGarbage() : null;
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      const stats: ChildStats = {
        type: 'stats',
        id: request.id,
        cpuUs: cpu.user + cpu.system,
        heapUsedBytes: memory.heapUsed,
        retainedBytes: retained,
        rssBytes: memory.rss,
        rooms: started.rooms(),
        serverAckMs: started.takeAckLatencies(),
      };
      send(stats);
    } else if (request.type === 'stop') {
      await started.stop();
      send({ type: 'stopped', id: request.id });
      process.disconnect?.();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(`[${kind}]`, error);
  });
});
