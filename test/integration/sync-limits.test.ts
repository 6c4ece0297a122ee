// Per-address limits on the review-room websocket: open sockets and upgrade attempts. A burst of upgrades
// without a session never yields a 101, and the server keeps answering.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ SYNC_MAX_CONNECTIONS_PER_IP: '3', SYNC_UPGRADES_PER_MINUTE_PER_IP: '40' });
  fixture = await reviewFixture(server.origin);
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await server?.stop();
});

/** Opens a raw socket to the review; resolves with 101 and keeps it open, or with the refusal's status. */
function upgrade(headers: Record<string, string>, keep = true): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, { headers });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      if (keep) sockets.push(socket);
      else socket.close();
    });
    socket.on('error', () => {});
  });
}

describe('per-address limits', () => {
  it('refuses a fourth open socket from one address with 429, and accepts again once one closes', async () => {
    const headers = { cookie: fixture.facilitator.client.cookie!, origin: server.origin };
    expect(await Promise.all([upgrade(headers), upgrade(headers), upgrade(headers)])).toEqual([101, 101, 101]);
    expect(await upgrade(headers)).toBe(429);
    const closed = new Promise((resolve) => sockets[0]!.once('close', resolve));
    sockets.shift()!.close();
    await closed;
    // The server sees the close a moment later.
    let status: number | undefined;
    for (let attempt = 0; attempt < 20 && status !== 101; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await upgrade(headers);
    }
    expect(status).toBe(101);
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('never upgrades a burst without a session, throttles it, and keeps answering', async () => {
    const statuses = await Promise.all(Array.from({ length: 120 }, () => upgrade({ origin: server.origin }, false)));
    expect(statuses).not.toContain(101);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    // Throttled means throttled: even a signed-in attempt from the address waits now.
    const signedIn = await upgrade({ cookie: fixture.facilitator.client.cookie!, origin: server.origin }, false);
    expect(signedIn).toBe(429);
  });
});
