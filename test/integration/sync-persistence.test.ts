// What the room writes survives restarts and kills, and a long board loads from snapshot plus tail.
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { findFreePort } from '../../server/db/embedded.ts';
import { notesOf, readAgenda, readRoom } from '../../server/domain/board.ts';
import { listBoardUpdates, loadBoard } from '../../server/store/board-log.ts';
import { ApiClient, createOrganization, PASSWORD, signUp } from '../support/client.ts';
import { createTestDatabase } from '../support/database.ts';
import { createMetric } from '../support/portfolio.ts';
import { startProcess, waitForOutput } from '../support/process.ts';
import { createReview, reviewFixture } from '../support/reviews.ts';
import { startTestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function boardJson(doc: Y.Doc) {
  return { agenda: readAgenda(doc), room: readRoom(doc) };
}

describe('board persistence', () => {
  it('keeps every edit across a graceful restart', async () => {
    const first = await startTestServer();
    const db = first.db;
    cleanups.push(() => db.drop());
    const fixture = await reviewFixture(first.origin);
    const writer = connectBoard(first.origin, fixture.facilitator.client, fixture.review.id, { acks: false });
    await writer.synced;
    const itemId = readAgenda(writer.doc)[0]!.id;
    // Many small edits in a burst: the shutdown must commit what the group commit has not yet written.
    for (let i = 0; i < 50; i++) notesOf(writer.doc, itemId)!.insert(0, `${i} `);
    await eventually(
      () => notesOf(first.rooms.loaded.get(fixture.review.id)!.doc, itemId)!.toString().startsWith('49 '),
      5_000,
      'the server to receive the edits',
    );
    const expected = notesOf(writer.doc, itemId)!.toString();
    writer.destroy();
    await first.stop({ keepDatabase: true });

    const second = await startTestServer({}, { db });
    cleanups.push(() => second.stop({ keepDatabase: true }));
    // The restarted server listens elsewhere; the same account signs in there.
    const client = new ApiClient(second.origin);
    const login = await client.post('/api/auth/login', { email: fixture.facilitator.user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    const reader = connectBoard(second.origin, client, fixture.review.id);
    cleanups.push(() => reader.destroy());
    await reader.synced;
    expect(notesOf(reader.doc, itemId)!.toString()).toBe(expected);
  });

  it('keeps acknowledged edits, and edits older than the flush interval, when the process is killed', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const port = await findFreePort();
    const origin = `http://localhost:${port}`;
    const env = { PORT: String(port), PUBLIC_URL: origin, DATABASE_URL: db.url, SEED_DEMO: 'false' };
    const first = startProcess(env);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    await waitForOutput(first, 'Press Ctrl+C to stop.');

    const { client, user } = await signUp(origin, 'Kim Killer');
    const org = await createOrganization(client, 'Kill Org');
    const metric = await createMetric(client, org.id, user.id);
    const review = await createReview(client, org.id, { metricIds: [metric.id] });
    const writer = connectBoard(origin, client, review.id);
    await writer.synced;
    const itemId = readAgenda(writer.doc)[0]!.id;
    notesOf(writer.doc, itemId)!.insert(0, 'ACKED ');
    await writer.commits.whenCovered();
    notesOf(writer.doc, itemId)!.insert(0, 'AFTER-FLUSH-INTERVAL ');
    await new Promise((resolve) => setTimeout(resolve, 500));
    writer.provider.shouldConnect = false;
    first.child.kill('SIGKILL');
    await first.exited;
    writer.destroy();

    const second = startProcess(env);
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await second.exited;
    });
    await waitForOutput(second, 'Press Ctrl+C to stop.');
    const reader = connectBoard(origin, client, review.id);
    cleanups.push(() => reader.destroy());
    await reader.synced;
    const notes = notesOf(reader.doc, itemId)!.toString();
    expect(notes).toContain('ACKED');
    expect(notes).toContain('AFTER-FLUSH-INTERVAL');
  }, 120_000);

  it('loads a board of 10,000 updates from its latest snapshot and tail, equal to replaying them all', async () => {
    // A script writes far faster than people type, so this room lifts the per-connection message rate limit.
    const server = await startTestServer(
      {},
      { rooms: { snapshotEvery: 500, limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 } } },
    );
    cleanups.push(() => server.stop());
    const fixture = await reviewFixture(server.origin);
    const writer = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    cleanups.push(() => writer.destroy());
    await writer.synced;
    const itemId = readAgenda(writer.doc)[0]!.id;
    const notes = notesOf(writer.doc, itemId)!;
    for (let i = 0; i < 10_000; i++) {
      // Every transaction is one update; some delete, so the snapshot has tombstones to get right.
      if (i % 7 === 6) notes.delete(0, 2);
      else notes.insert(notes.length, `${i % 10}`);
      if (i % 1000 === 999) await writer.commits.whenCovered();
    }
    await writer.commits.whenCovered();

    const stored = await loadBoard(server.db.sql, fixture.review.id);
    const updates = await listBoardUpdates(server.db.sql, fixture.review.id);
    expect(updates.length).toBeGreaterThanOrEqual(10_000);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.tail.length).toBeLessThan(updates.length);
    expect(stored.snapshot!.uptoSeq + stored.tail.length).toBe(stored.lastSeq);

    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, stored.snapshot!.state);
    for (const { update } of stored.tail) Y.applyUpdate(fromSnapshot, update);
    const replayed = new Y.Doc();
    for (const { update } of updates) Y.applyUpdate(replayed, update);

    expect(boardJson(fromSnapshot)).toEqual(boardJson(replayed));
    expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(replayed));
    expect(notesOf(fromSnapshot, itemId)!.toString()).toBe(notes.toString());
  }, 120_000);
});
