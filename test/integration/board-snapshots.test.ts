// Snapshots against the log, under concurrency. Several clients write to one room at random moments while the
// room's writer commits them with a snapshot every few updates (the compaction: loading reads one snapshot and the
// tail after it), and readers load the board from PostgreSQL at random moments in between. Every load must equal
// a naive replay of every committed update up to the sequence number it saw, and once the writing stops, the
// stored board equals what the clients hold. Several seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { listBoardUpdates, loadBoard } from '../../server/store/board-log.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, type BoardClient } from '../support/sync.ts';
import { seededRandom } from '../../db/seed/demo-history.ts';

const SEEDS = Number(process.env.SNAPSHOT_SEEDS ?? 3);
const WRITERS = 4;
const EDITS_PER_WRITER = 40;

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;

beforeAll(async () => {
  // A snapshot every 5 updates: many snapshots, each racing the readers.
  server = await startTestServer({}, { rooms: { snapshotEvery: 5, flushDelayMs: 2 } });
  fixture = await reviewFixture(server.origin);
});
afterAll(() => server?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The board's content, comparable across documents. */
function content(doc: Y.Doc): string {
  return JSON.stringify(readAgenda(doc).map((item) => [item.id, notesOf(doc, item.id)?.toString() ?? '']));
}

/** Loads the board as the server does, and replays the whole log up to the same point, naively. */
async function loadAndReplay(reviewId: string) {
  const stored = await loadBoard(server.db.sql, reviewId);
  const loaded = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(loaded, stored.snapshot.state);
  for (const { update } of stored.tail) Y.applyUpdate(loaded, update);
  const seen = stored.tail.at(-1)?.seq ?? stored.snapshot?.uptoSeq ?? 0;
  const replayed = new Y.Doc();
  for (const { seq, update } of await listBoardUpdates(server.db.sql, reviewId)) {
    if (seq > seen) break;
    Y.applyUpdate(replayed, update);
  }
  return { loaded, replayed, fromSnapshot: stored.snapshot !== null };
}

describe('snapshots and the update log', () => {
  for (let seed = 1; seed <= SEEDS; seed++)
    it(`a load at any moment equals replaying the log, with concurrent writers and snapshots (seed ${seed})`, async () => {
      const next = seededRandom(seed);
      const { review } = fixture;
      const boards: BoardClient[] = [];
      for (let i = 0; i < WRITERS; i++) {
        const board = connectBoard(server.origin, fixture.facilitator.client, review.id);
        await board.synced;
        boards.push(board);
      }
      const items = readAgenda(boards[0]!.doc).map((item) => item.id);
      let writing = true;
      const writers = boards.map(async (board, w) => {
        for (let e = 0; e < EDITS_PER_WRITER; e++) {
          const notes = notesOf(board.doc, items[Math.floor(next() * items.length)]!)!;
          // At either end, so that no marker lands inside another.
          notes.insert(next() < 0.5 ? 0 : notes.length, `[s${seed}w${w}e${e}]`);
          await sleep(next() * 25);
        }
      });
      let loads = 0;
      let fromSnapshots = 0;
      // Two readers, each loading at random moments while the writers write.
      const readers = [0, 1].map(async () => {
        while (writing) {
          await sleep(next() * 15);
          const { loaded, replayed, fromSnapshot } = await loadAndReplay(review.id);
          expect(content(loaded)).toBe(content(replayed));
          expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(replayed));
          loads += 1;
          if (fromSnapshot) fromSnapshots += 1;
        }
      });
      await Promise.all(writers);
      await Promise.all(boards.map((board) => board.commits.whenCovered()));
      writing = false;
      await Promise.all(readers);
      expect(loads).toBeGreaterThan(5);
      expect(fromSnapshots).toBeGreaterThan(0);

      // Everything written is stored exactly once, and the stored board is what every client holds.
      const { loaded, replayed } = await loadAndReplay(review.id);
      expect(content(loaded)).toBe(content(replayed));
      for (const board of boards) expect(content(board.doc)).toBe(content(loaded));
      const text = content(loaded);
      for (let w = 0; w < WRITERS; w++)
        for (let e = 0; e < EDITS_PER_WRITER; e++) expect(text.split(`[s${seed}w${w}e${e}]`).length - 1).toBe(1);
      for (const board of boards) board.destroy();
    });
});
