// Cross-room group commit: the updates of many rooms go into one statement, each review numbered on its own as if
// written alone, acknowledged only after that statement committed; a room whose review is gone fails alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../../server/logger.ts';
import { listBoardUpdates, loadBoard } from '../../server/store/board-log.ts';
import { appendBoardUpdatesOfReviews } from '../../server/store/board-group-append.ts';
import { BoardCommitter } from '../../server/sync/board-committer.ts';
import { BoardWriter } from '../../server/sync/board-writer.ts';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { createOrganization, signUp, type ApiClient } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { createReview } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let client: ApiClient;
let orgId: string;
let metricId: string;

beforeAll(async () => {
  server = await startTestServer();
  const facilitator = await signUp(server.origin, 'Gina Group');
  client = facilitator.client;
  orgId = (await createOrganization(client, 'Group Commit Org')).id;
  metricId = (await createMetric(client, orgId, facilitator.user.id)).id;
});
afterAll(() => server?.stop());

async function reviews(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await createReview(client, orgId, { title: `Room ${i + 1}`, metricIds: [metricId] })).id);
  return ids;
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  doc.once('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  return update!;
}

const stored = async (reviewId: string) => {
  const doc = new Y.Doc();
  for (const { update } of await listBoardUpdates(server.db.sql, reviewId)) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

describe('appending the batches of many reviews in one statement', () => {
  it('numbers each review after its own log, stores the snapshots, and skips a review that does not exist', async () => {
    const [a, b] = await reviews(2);
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const at = new Date();
    const first = await appendBoardUpdatesOfReviews(server.db.sql, [
      { reviewId: a!, updates: [{ update: textUpdate(docA, 'a1'), authorId: null, at }] },
      {
        reviewId: b!,
        updates: ['b1', 'b2', 'b3'].map((text) => ({ update: textUpdate(docB, text), authorId: null, at })),
      },
    ]);
    const missing = crypto.randomUUID();
    const second = await appendBoardUpdatesOfReviews(server.db.sql, [
      { reviewId: missing, updates: [{ update: textUpdate(new Y.Doc(), 'x'), authorId: null, at }] },
      {
        reviewId: a!,
        updates: [{ update: textUpdate(docA, 'a2'), authorId: null, at }],
        snapshot: Y.encodeStateAsUpdate(docA),
      },
    ]);
    // Each review's first board updates come after whatever creating it logged.
    const before = (id: string) => first.get(id)!;
    expect(second.get(a!)).toBe(before(a!) + 1);
    expect(second.has(missing)).toBe(false);
    expect(await stored(a!)).toBe('a1a2');
    expect(await stored(b!)).toBe('b1b2b3');
    const seqs = (await listBoardUpdates(server.db.sql, b!)).map((row) => row.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const loaded = await loadBoard(server.db.sql, a!);
    expect(loaded.snapshot?.uptoSeq).toBe(second.get(a!));
    expect(loaded.tail).toEqual([]);
    expect(await listBoardUpdates(server.db.sql, missing)).toEqual([]);
  });

  it('refuses two batches of one review (they would be numbered twice)', async () => {
    const [a] = await reviews(1);
    const update = { update: textUpdate(new Y.Doc(), 'x'), authorId: null, at: new Date() };
    await expect(
      appendBoardUpdatesOfReviews(server.db.sql, [
        { reviewId: a!, updates: [update] },
        { reviewId: a!, updates: [update] },
      ]),
    ).rejects.toThrow(/one batch per review/);
  });
});

describe('the committer', () => {
  function writerFor(committer: BoardCommitter, reviewId: string) {
    const doc = new Y.Doc();
    const acknowledged: Uint8Array[] = [];
    const failures: unknown[] = [];
    const writer = new BoardWriter({
      committer,
      reviewId,
      doc,
      logger: createLogger('silent'),
      snapshotEvery: 1_000,
      updatesSinceSnapshot: 0,
      onCommitted: (stateVector) => acknowledged.push(stateVector),
      onFailure: (error) => failures.push(error),
    });
    const write = (text: string) => writer.enqueue({ update: textUpdate(doc, text), authorId: null, at: new Date() });
    return { doc, writer, acknowledged, failures, write };
  }

  it('commits twenty rooms in one statement and acknowledges each with its own state', async () => {
    const committer = new BoardCommitter(server.db.sql, 5);
    const rooms = (await reviews(20)).map((id) => writerFor(committer, id));
    for (const [index, room] of rooms.entries()) for (let i = 0; i < 3; i++) room.write(`${index}.${i};`);
    await Promise.all(rooms.map((room) => room.writer.drain(5_000)));
    expect(committer.commits).toBe(1);
    for (const [index, room] of rooms.entries()) {
      expect(room.acknowledged).toHaveLength(1);
      expect(room.acknowledged[0]).toEqual(Y.encodeStateVector(room.doc));
      expect(await stored(room.writer.reviewId)).toBe(`${index}.0;${index}.1;${index}.2;`);
    }
  });

  it('keeps every room in order while updates keep coming during commits', async () => {
    const committer = new BoardCommitter(server.db.sql, 1);
    const rooms = (await reviews(6)).map((id) => writerFor(committer, id));
    for (let i = 0; i < 40; i++) {
      for (const room of rooms) room.write(`${i},`);
      await new Promise((resolve) => setTimeout(resolve, i % 3));
    }
    await Promise.all(rooms.map((room) => room.writer.drain(5_000)));
    const expected = Array.from({ length: 40 }, (_, i) => `${i},`).join('');
    for (const room of rooms) expect(await stored(room.writer.reviewId)).toBe(expected);
    // Fewer statements than rooms × rounds: the rooms shared them.
    expect(committer.commits).toBeLessThan(6 * 40);
  });

  it('lets the other rooms commit when one review was deleted, and keeps retrying that one', async () => {
    const committer = new BoardCommitter(server.db.sql, 5);
    const [kept, gone] = await reviews(2);
    const live = writerFor(committer, kept!);
    const orphan = writerFor(committer, gone!);
    await server.db.sql`delete from reviews where id = ${gone!}`;
    live.write('saved');
    orphan.write('lost');
    await live.writer.drain(5_000);
    expect(await stored(kept!)).toBe('saved');
    await eventually(() => orphan.failures.length > 0, 5_000, 'the orphan room to fail');
    expect(orphan.acknowledged).toEqual([]);
    expect(orphan.writer.pendingCount).toBe(1);
    await expect(orphan.writer.drain(300)).rejects.toThrow(/1 updates not saved/);
    orphan.writer.stop();
  });
});

describe('rooms of one server', () => {
  it('share statements: ten rooms edited at once commit in fewer statements than rooms', async () => {
    const ids = await reviews(10);
    const boards: BoardClient[] = ids.map((id) => connectBoard(server.origin, client, id));
    try {
      await Promise.all(boards.map((board) => board.synced));
      const before = server.rooms.boardCommits;
      for (const board of boards) {
        const itemId = readAgenda(board.doc)[0]!.id;
        notesOf(board.doc, itemId)!.insert(0, 'together ');
      }
      await Promise.all(boards.map((board) => board.commits.whenCovered()));
      const statements = server.rooms.boardCommits - before;
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThan(ids.length);
    } finally {
      for (const board of boards) board.destroy();
    }
  });
});
