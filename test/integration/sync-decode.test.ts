// Bounded decoding: a large update is decoded in a worker under a deadline before the room integrates it. One
// that overruns the deadline closes its sender's connection (4400) and is neither stored nor broadcast, while the
// server keeps serving; within the deadline, a large update and the edits sent right behind it (which build on
// it) are integrated in the order they were sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const boards: BoardClient[] = [];
const servers: TestServer[] = [];
afterAll(async () => {
  for (const board of boards) board.destroy();
  for (const server of servers) await server.stop();
});

async function setUp(deadlineMs?: number) {
  const server = await startTestServer({}, deadlineMs ? { rooms: { updateCheck: { deadlineMs } } } : {});
  servers.push(server);
  const fixture = await reviewFixture(server.origin);
  const open = async () => {
    const board = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    boards.push(board);
    await board.synced;
    return board;
  };
  const [writer, observer] = [await open(), await open()];
  const itemId = readAgenda(observer.doc)[0]!.id;
  const storedUpdates = async () => {
    const [row] = await server.db.sql<{ count: number }[]>`
      select count(*)::int as count from board_updates where review_id = ${fixture.review.id}`;
    return row!.count;
  };
  return { server, fixture, writer, observer, itemId, storedUpdates };
}

/** Thousands of one-letter insertions at scattered places in one transaction: a large update nothing merges. */
function typeScattered(board: BoardClient, itemId: string, letters: number, letter: string): void {
  const notes = notesOf(board.doc, itemId)!;
  board.doc.transact(() => {
    for (let i = 0; i < letters; i++) notes.insert((i * 7919) % (notes.length + 1), letter);
  });
}

const count = (text: string, letter: string) => text.split(letter).length - 1;

describe('bounded decoding of large updates', () => {
  let slow: Awaited<ReturnType<typeof setUp>>;
  let normal: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    // A 1 ms deadline: any large update overruns it, standing in for one whose decoding would stall the server.
    slow = await setUp(1);
    normal = await setUp();
  });

  it('refuses an update that overruns the deadline: the sender is closed, nothing is stored or broadcast', async () => {
    const { server, writer, observer, itemId, storedUpdates } = slow;
    const before = await storedUpdates();
    typeScattered(writer, itemId, 40_000, 'q');
    await eventually(() => writer.closes.length > 0, 10_000, 'the writer to be closed');
    expect(writer.closes[0]).toEqual({ code: 4400, reason: 'Update too costly to decode' });
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);

    // The others go on: the observer's edit is stored and acknowledged; the refused letters are nowhere.
    notesOf(observer.doc, itemId)!.insert(0, 'still here ');
    await observer.commits.whenCovered();
    expect(await storedUpdates()).toBe(before + 1);
    expect(count(notesOf(observer.doc, itemId)!.toString(), 'q')).toBe(0);
    const room = server.rooms.loaded.get(slow.fixture.review.id)!;
    expect(count(notesOf(room.doc, itemId)!.toString(), 'q')).toBe(0);
    expect(notesOf(room.doc, itemId)!.toString()).toContain('still here');
  });

  it('integrates a large update within the deadline, and the edits queued behind it in order', async () => {
    const { server, writer, observer, itemId } = normal;
    typeScattered(writer, itemId, 20_000, 'z');
    // Sent right behind it, and depending on it: integrated first, it would wait for predecessors and be refused.
    const notes = notesOf(writer.doc, itemId)!;
    for (let i = 0; i < 5; i++) notes.insert(notes.length - i * 3, `<${i}>`);
    const expected = notes.toString();
    await eventually(() => notesOf(observer.doc, itemId)!.toString() === expected, 15_000, 'the observer to see both');
    await writer.commits.whenCovered();
    expect(writer.closes).toEqual([]);
    expect(count(expected, 'z')).toBe(20_000);

    // PostgreSQL holds the same: the room unloads once everyone left, then loads from the database.
    for (const board of [writer, observer]) board.destroy();
    await eventually(() => server.rooms.loaded.size === 0, 10_000, 'the room to unload');
    const reloaded = connectBoard(server.origin, normal.fixture.facilitator.client, normal.fixture.review.id);
    boards.push(reloaded);
    await reloaded.synced;
    expect(notesOf(reloaded.doc, itemId)!.toString()).toBe(expected);
  });
});
