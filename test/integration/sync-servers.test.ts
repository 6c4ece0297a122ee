// Two servers in one process share no sync state: each Rooms owns its open sockets and their keepalive timer
// (server/sync/open-sockets.ts), so one server pings only its own clients, and stopping one leaves the other's
// clients connected, pinged and syncing. Real y-websocket clients against three servers in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const FAST_KEEPALIVE_MS = 50;

interface Served {
  server: TestServer;
  fixture: Awaited<ReturnType<typeof reviewFixture>>;
}

async function serve(keepaliveMs: number): Promise<Served> {
  const server = await startTestServer({}, { rooms: { keepaliveMs } });
  return { server, fixture: await reviewFixture(server.origin) };
}

function connect({ server, fixture }: Served): BoardClient {
  return connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
}

/** Counts the keepalive pings the client's current socket receives from now on. */
function countPings(client: BoardClient): { count: number } {
  const pings = { count: 0 };
  (client.provider.ws as unknown as WebSocket).on('ping', () => (pings.count += 1));
  return pings;
}

let first: Served;
let second: Served;
let slow: Served;

beforeAll(async () => {
  [first, second, slow] = await Promise.all([
    serve(FAST_KEEPALIVE_MS),
    serve(FAST_KEEPALIVE_MS),
    // Never pings within a test.
    serve(3_600_000),
  ]);
});
const stopped = new Set<TestServer>();
afterAll(() =>
  Promise.all(
    [first, second, slow]
      .filter((served) => served && !stopped.has(served.server))
      .map((served) => served.server.stop()),
  ),
);

describe('two servers in one process', () => {
  it('keep their own sockets and keepalive', async () => {
    const onFirst = connect(first);
    const onSlow = connect(slow);
    await Promise.all([onFirst.synced, onSlow.synced]);
    expect(first.server.rooms.sockets.size).toBe(1);
    expect(slow.server.rooms.sockets.size).toBe(1);
    const firstPings = countPings(onFirst);
    const slowPings = countPings(onSlow);
    await eventually(() => firstPings.count >= 3, 5_000, 'three keepalive pings from the first server');
    // One shared timer would have pinged every socket of the process at the first server's pace.
    expect(slowPings.count).toBe(0);
    onFirst.destroy();
    onSlow.destroy();
    await eventually(() => first.server.rooms.sockets.size === 0 && slow.server.rooms.sockets.size === 0);
  });

  it('leave one running when the other stops', async () => {
    const onFirst = connect(first);
    const writer = connect(second);
    const reader = connect(second);
    await Promise.all([onFirst.synced, writer.synced, reader.synced]);
    expect(second.server.rooms.sockets.size).toBe(2);

    stopped.add(first.server);
    await first.server.stop();
    await eventually(() => onFirst.closes.length > 0, 5_000, 'the stopped server’s client to be closed');
    expect(onFirst.closes[0]!.code).toBe(1001);
    onFirst.destroy();
    expect(first.server.rooms.sockets.size).toBe(0);

    // The second server's keepalive still runs, and its clients stay connected and keep syncing.
    const pings = countPings(reader);
    await eventually(() => pings.count >= 3, 5_000, 'keepalive pings after the other server stopped');
    expect(second.server.rooms.sockets.size).toBe(2);
    expect([...writer.closes, ...reader.closes]).toEqual([]);
    const itemId = readAgenda(writer.doc)[0]!.id;
    notesOf(writer.doc, itemId)!.insert(0, 'still live');
    await eventually(() => notesOf(reader.doc, itemId)!.toString().includes('still live'), 5_000, 'the edit');
    writer.destroy();
    reader.destroy();
  });
});
