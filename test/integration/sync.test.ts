// The live board over real websockets: unmodified y-websocket WebsocketProvider clients against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda, readRoom } from '../../server/domain/board.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { reviewFixture, addMember, type Person } from '../support/reviews.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Olu Owner');
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

function connect(person: Person, options: Parameters<typeof connectBoard>[3] = {}) {
  const client = connectBoard(server.origin, person.client, fixture.review.id, options);
  clients.push(client);
  return client;
}

const notes = (client: BoardClient, itemId: string) => notesOf(client.doc, itemId)!.toString();

describe('the board over y-websocket', () => {
  it('serves the generated agenda to a stock WebsocketProvider', async () => {
    const client = connect(fixture.facilitator, { acks: false });
    await client.synced;
    const agenda = readAgenda(client.doc);
    expect(agenda).toHaveLength(1);
    expect(agenda[0]).toMatchObject({ kind: 'status-update', title: 'Fuel cost savings', metricId: fixture.metric.id });
    expect(readRoom(client.doc)).toMatchObject({ currentItemId: agenda[0]!.id, phase: 'check-in' });
    client.destroy();
  });

  it('makes 20 clients editing at once converge, and a late client receives everything', async () => {
    const people = [fixture.facilitator, owner];
    const many = Array.from({ length: 20 }, (_, index) => connect(people[index % 2]!));
    await Promise.all(many.map((client) => client.synced));
    const itemId = readAgenda(many[0]!.doc)[0]!.id;
    for (let round = 0; round < 5; round++) {
      many.forEach((client, index) => notesOf(client.doc, itemId)!.insert(0, `[${index}:${round}]`));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(
      () => new Set(many.map((client) => notes(client, itemId))).size === 1,
      10_000,
      'all clients to hold the same notes',
    );
    const text = notes(many[0]!, itemId);
    for (let index = 0; index < 20; index++)
      for (let round = 0; round < 5; round++) expect(text).toContain(`[${index}:${round}]`);

    const late = connect(owner);
    await late.synced;
    expect(notes(late, itemId)).toBe(text);
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(many[0]!.doc));
    for (const client of many) client.destroy();
    late.destroy();
    // Once the last client has left and everything is committed, the room leaves memory.
    await eventually(() => !server.rooms.loaded.has(fixture.review.id), 5_000, 'the room to unload');
    const stored = await server.db.sql<{ n: number }[]>`
      select count(*)::int as n from board_updates where review_id = ${fixture.review.id}
    `;
    expect(stored[0]!.n).toBeGreaterThan(1);
  });

  it('acknowledges an edit once it is committed, with its author in the log', async () => {
    const client = connect(owner);
    await client.synced;
    await client.commits.whenCovered();
    const itemId = readAgenda(client.doc)[0]!.id;
    notesOf(client.doc, itemId)!.insert(0, 'committed marker ');
    expect(client.commits.covered).toBe(false);
    await client.commits.whenCovered();
    const rows = await server.db.sql<{ authorId: string | null; update: Buffer }[]>`
      select author_id, update from board_updates where review_id = ${fixture.review.id} order by seq
    `;
    expect(rows[0]!.authorId).toBeNull(); // the generated agenda, written by the server
    const replayed = new Y.Doc();
    for (const row of rows) Y.applyUpdate(replayed, new Uint8Array(row.update));
    expect(notesOf(replayed, itemId)!.toString()).toContain('committed marker');
    expect(rows.some((row) => row.authorId === owner.user.id)).toBe(true);
    client.destroy();
  });

  it('acknowledges a writer on every commit and a reader with the latest state, fewer times', async () => {
    const writer = connect(owner);
    const reader = connect(fixture.facilitator);
    await Promise.all([writer.synced, reader.synced]);
    await Promise.all([writer.commits.whenCovered(), reader.commits.whenCovered()]);
    const acks = { writer: 0, reader: 0 };
    writer.commits.onAck(() => (acks.writer += 1));
    reader.commits.onAck(() => (acks.reader += 1));
    const itemId = readAgenda(writer.doc)[0]!.id;
    for (let i = 0; i < 20; i++) {
      notesOf(writer.doc, itemId)!.insert(0, `w${i} `);
      await writer.commits.whenCovered();
    }
    // Every edit waited for its own commit; the reader learns that all it received is durable, in fewer messages.
    expect(acks.writer).toBeGreaterThanOrEqual(20);
    await eventually(() => notes(reader, itemId).includes('w19'), 5_000, 'the reader to receive the edits');
    await reader.commits.whenCovered();
    expect(acks.reader).toBeGreaterThan(0);
    expect(acks.reader).toBeLessThan(acks.writer);
    writer.destroy();
    reader.destroy();
  });

  it('ties awareness to the signed-in user and clears it when the socket closes', async () => {
    const watcher = connect(fixture.facilitator);
    const leaving = connect(owner);
    await Promise.all([watcher.synced, leaving.synced]);
    leaving.provider.awareness.setLocalStateField('user', { id: 'someone-else', name: 'Mallory' });
    leaving.provider.awareness.setLocalStateField('itemId', 'x');
    const leavingId = leaving.doc.clientID;
    await eventually(
      () => watcher.provider.awareness.getStates().get(leavingId)?.itemId === 'x',
      5_000,
      'the watcher to see the other client',
    );
    expect(watcher.provider.awareness.getStates().get(leavingId)?.user).toMatchObject({
      id: owner.user.id,
      name: 'Olu Owner',
    });
    leaving.provider.destroy();
    await eventually(
      () => !watcher.provider.awareness.getStates().has(leavingId),
      5_000,
      'the closed client to disappear from awareness',
    );
  });
});
