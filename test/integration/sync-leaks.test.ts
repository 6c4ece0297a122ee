// Rooms do not leak: a thousand rooms (LEAK_ROOMS) each opened by a client that writes one edit, waits for its
// acknowledgement and leaves: afterwards no room is in memory and, after a full garbage collection, the heap is
// back near where it stood before (the same cycle run once on other rooms first, so the code is warm).
// Its own file: the heap it measures holds only this server and these clients.
import { finished } from 'node:stream/promises';
import { getHeapSnapshot } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReview, reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

const ROOMS = Number(process.env.LEAK_ROOMS ?? 1000);
const WARM_UP_ROOMS = 100;
const BATCH = 50;
/**
 * What the heap may keep after the cycle. Keeping even the destroyed document of each room (≈ 7 KB) would exceed
 * it at a thousand rooms; a live room is ten times that.
 */
const ALLOWED_GROWTH_BYTES = 4 * 1024 * 1024;

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
});
afterAll(() => server?.stop());

/**
 * The heap after collecting everything collectable. A plain `gc()` leaves tens of megabytes that only V8's
 * "all available garbage" collection frees; taking a heap snapshot runs exactly that one.
 */
async function settledHeap(): Promise<number> {
  // Let closed sockets, timers and pending promises finish first.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const snapshot = getHeapSnapshot();
  snapshot.resume();
  await finished(snapshot);
  return process.memoryUsage().heapUsed;
}

/** Opens every room, writes and awaits the durable acknowledgement of one edit in each, then leaves them all. */
async function cycle(reviewIds: string[]): Promise<void> {
  for (let start = 0; start < reviewIds.length; start += BATCH) {
    const boards = reviewIds
      .slice(start, start + BATCH)
      .map((reviewId) => connectBoard(server.origin, fixture.facilitator.client, reviewId));
    await Promise.all(boards.map((board) => board.synced));
    expect(server.rooms.loaded.size).toBeGreaterThanOrEqual(boards.length);
    for (const board of boards) board.doc.getText('leak-check').insert(0, 'opened and closed');
    await Promise.all(boards.map((board) => board.commits.whenCovered()));
    for (const board of boards) board.destroy();
  }
  await eventually(() => server.rooms.loaded.size === 0, 20_000, 'every room to unload');
}

async function createReviews(count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await createReview(fixture.facilitator.client, fixture.org.id, { title: `${label} ${i}` })).id);
  return ids;
}

describe('rooms in memory', () => {
  it(
    `return to none, and the heap to its baseline, after ${ROOMS} rooms open and close`,
    async () => {
      await cycle(await createReviews(WARM_UP_ROOMS, 'Warm-up'));
      const reviewIds = await createReviews(ROOMS, 'Leak check');
      const baseline = await settledHeap();

      await cycle(reviewIds);
      expect(server.rooms.loaded.size).toBe(0);
      const after = await settledHeap();
      const growth = after - baseline;
      expect(
        growth,
        `heap grew by ${(growth / 1024).toFixed(0)} KB over ${ROOMS} rooms (baseline ${(baseline / 1048576).toFixed(1)} MB)`,
      ).toBeLessThan(ALLOWED_GROWTH_BYTES);
    },
    ROOMS * 200 + 60_000,
  );
});
