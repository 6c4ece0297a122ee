// What one connection may make the server store, hold and send: update bytes per minute (per connection and per
// room) and a ceiling on the board, refused without disconnecting and undone on every board; presence states cut
// down to the fields the client really uses; query-awareness answered sparingly; a client that stops reading dropped.
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { NOTICE_MESSAGE_TYPE, type UpdateRefusedNotice } from '../../server/domain/update-quota.ts';
import { encodeAwarenessUpdate } from '../../server/sync/protocol.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const KB = 1024;

type Fixture = Awaited<ReturnType<typeof reviewFixture>>;

/** Random letters: text that no encoding makes smaller, as a pasted document of that size would be. */
function randomText(length: number, seed: number): string {
  let state = seed >>> 0;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    text += String.fromCharCode(97 + (state % 26));
  }
  return text;
}

/** A fresh review of the fixture's organization: a room of its own, with its own room quota. */
async function freshReview(fixture: Fixture): Promise<string> {
  const review = await createReview(fixture.facilitator.client, fixture.org.id, { metricIds: [fixture.metric.id] });
  return review.id;
}

/** A board client that records the notices Lastmile's server sends it. */
function connectWithNotices(server: TestServer, person: Person, reviewId: string, cleanups: (() => unknown)[]) {
  const board = connectBoard(server.origin, person.client, reviewId);
  cleanups.push(() => board.destroy());
  const notices: UpdateRefusedNotice[] = [];
  board.provider.messageHandlers[NOTICE_MESSAGE_TYPE] = (_encoder, decoder) => {
    notices.push(JSON.parse(decoding.readVarString(decoder)) as UpdateRefusedNotice);
  };
  return { board, notices };
}

function notesText(board: BoardClient): string {
  return notesOf(board.doc, readAgenda(board.doc)[0]!.id)!.toString();
}

function paste(board: BoardClient, text: string): void {
  const notes = notesOf(board.doc, readAgenda(board.doc)[0]!.id)!;
  notes.insert(notes.length, text);
}

async function storedBytes(server: TestServer, reviewId: string): Promise<number> {
  const [row] = await server.db.sql<{ bytes: number }[]>`
    select coalesce(sum(octet_length(update)), 0)::int as bytes from board_updates where review_id = ${reviewId}
  `;
  return row!.bytes;
}

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  }
  return encoding.toUint8Array(encoder);
}

/** An authenticated raw socket that records every frame it receives. */
async function openRaw(server: TestServer, person: Person, reviewId: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${reviewId}`, {
    headers: { origin: server.origin, cookie: person.client.cookie! },
  });
  const received: Uint8Array[] = [];
  socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  socket.on('error', () => {});
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
  return { socket, received };
}

const typeOf = (message: Uint8Array) => decoding.readVarUint(decoding.createDecoder(message));

describe('update quotas', () => {
  let server: TestServer;
  let fixture: Fixture;
  let second: Person;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    server = await startTestServer(
      {},
      { rooms: { limits: { connectionBytesPerMinute: 200 * KB, roomBytesPerMinute: 250 * KB } } },
    );
    fixture = await reviewFixture(server.origin);
    second = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sam Second');
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server?.stop();
  });

  it('refuses a paste beyond the writer’s bytes per minute, tells it why, and undoes it on every board', async () => {
    const reviewId = await freshReview(fixture);
    const { board: writer, notices } = connectWithNotices(server, fixture.facilitator, reviewId, cleanups);
    const { board: observer } = connectWithNotices(server, second, reviewId, cleanups);
    await Promise.all([writer.synced, observer.synced]);

    const accepted = randomText(150 * KB, 1);
    paste(writer, accepted);
    await eventually(() => notesText(observer).includes(accepted), 10_000, 'the first paste');
    const refused = randomText(150 * KB, 2);
    paste(writer, refused);

    await eventually(() => notices.length === 1, 10_000, 'a notice');
    expect(notices[0]).toMatchObject({ kind: 'update-refused', reason: 'connection-rate', bytes: expect.any(Number) });
    expect(notices[0]!.message).toMatch(/^Your last change \(\d+ KB\) was not saved/);
    // The writer's board converges back to the server's: its paste is gone, the first one stays.
    await eventually(() => !notesText(writer).includes(refused.slice(0, 100)), 10_000, 'the refused paste undone');
    expect(notesText(writer)).toContain(accepted);
    await writer.commits.whenCovered();
    expect(notesText(observer)).not.toContain(refused.slice(0, 100));
    // Still connected, and its next edits go through.
    expect(writer.closes).toEqual([]);
    paste(writer, 'typed after the refusal');
    await eventually(() => notesText(observer).endsWith('typed after the refusal'), 10_000, 'a later edit');
    expect(notesText(writer)).toBe(notesText(observer));
    await writer.commits.whenCovered();
    // Nothing of the refused paste was stored.
    expect(await storedBytes(server, reviewId)).toBeLessThan(accepted.length + 20 * KB);
  });

  it('refuses what goes beyond the room’s bytes per minute, from everyone together', async () => {
    const reviewId = await freshReview(fixture);
    const { board: first, notices: firstNotices } = connectWithNotices(server, fixture.facilitator, reviewId, cleanups);
    const { board: other, notices: otherNotices } = connectWithNotices(server, second, reviewId, cleanups);
    await Promise.all([first.synced, other.synced]);

    paste(first, randomText(150 * KB, 3));
    await first.commits.whenCovered();
    // Within this writer's own 200 KB, but the room has only 100 KB left this minute.
    const refused = randomText(150 * KB, 4);
    paste(other, refused);
    await eventually(() => otherNotices.length === 1, 10_000, 'a notice');
    expect(otherNotices[0]!.reason).toBe('room-rate');
    await eventually(() => !notesText(other).includes(refused.slice(0, 100)), 10_000, 'the refused paste undone');
    await other.commits.whenCovered();
    expect(notesText(first)).toBe(notesText(other));
    expect(firstNotices).toEqual([]);
    expect(other.closes).toEqual([]);
  });

  it('stops 20 pastes of 900 KB from one writer at its minute’s worth, with default quotas', async () => {
    const defaults = await startTestServer();
    cleanups.push(() => defaults.stop());
    const owner = await reviewFixture(defaults.origin);
    const { board: writer, notices } = connectWithNotices(defaults, owner.facilitator, owner.review.id, cleanups);
    await writer.synced;
    const before = await storedBytes(defaults, owner.review.id);
    const initial = notesText(writer).length;

    for (let i = 0; i < 20; i++) paste(writer, randomText(900 * KB, 100 + i));
    // 2 MB a minute: two of them fit, the others are refused.
    await eventually(() => notices.length === 18, 60_000, '18 notices');
    await writer.commits.whenCovered();
    expect(writer.closes).toEqual([]);
    expect(notesText(writer).length).toBe(initial + 2 * 900 * KB);
    expect((await storedBytes(defaults, owner.review.id)) - before).toBeLessThan(2 * 900 * KB + 64 * KB);
    // A joiner downloads what was accepted, not 18 MB.
    const joiner = connectBoard(defaults.origin, owner.facilitator.client, owner.review.id);
    cleanups.push(() => joiner.destroy());
    await joiner.synced;
    expect(Y.encodeStateAsUpdate(joiner.doc).byteLength).toBeLessThan(2 * 900 * KB + 64 * KB);
    expect(notesText(joiner)).toBe(notesText(writer));
  }, 120_000);

  it('lets a real meeting through with default quotas: fifteen people typing and a 400 KB paste', async () => {
    const defaults = await startTestServer();
    cleanups.push(() => defaults.stop());
    const owner = await reviewFixture(defaults.origin);
    const people = [owner.facilitator];
    for (let i = 1; i < 15; i++)
      people.push(await addMember(defaults.origin, owner.facilitator.client, owner.org.id, `Person ${i}`));
    const boards = people.map((person) => connectWithNotices(defaults, person, owner.review.id, cleanups));
    await Promise.all(boards.map(({ board }) => board.synced));
    const initial = notesText(boards[0]!.board).length;

    paste(boards[0]!.board, randomText(400 * KB, 7));
    for (let keystroke = 0; keystroke < 40; keystroke++)
      for (const [index, { board }] of boards.entries()) paste(board, String.fromCharCode(65 + index));
    await Promise.all(boards.map(({ board }) => board.commits.whenCovered()));
    const expected = notesText(boards[0]!.board);
    await eventually(
      () => boards.every(({ board }) => notesText(board) === expected),
      20_000,
      'every board to converge',
    );
    expect(expected.length).toBe(initial + 400 * KB + 15 * 40);
    expect(boards.flatMap(({ notices }) => notices)).toEqual([]);
  }, 60_000);
});

describe('board ceiling', () => {
  let server: TestServer;
  let fixture: Fixture;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    server = await startTestServer({}, { rooms: { limits: { maxBoardBytes: 100 * KB } } });
    fixture = await reviewFixture(server.origin);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server?.stop();
  });

  it('refuses changes that would grow the board beyond its ceiling, and still takes deletions', async () => {
    const { board: writer, notices } = connectWithNotices(server, fixture.facilitator, fixture.review.id, cleanups);
    await writer.synced;
    const first = randomText(60 * KB, 5);
    paste(writer, first);
    await writer.commits.whenCovered();
    const refused = randomText(60 * KB, 6);
    paste(writer, refused);
    await eventually(() => notices.length === 1, 10_000, 'a notice');
    expect(notices[0]!.reason).toBe('board-full');
    expect(notices[0]!.message).toContain('limit of 100 KB');
    await eventually(() => !notesText(writer).includes(refused.slice(0, 100)), 10_000, 'the refused paste undone');
    // Deleting from a full board is allowed.
    const notes = notesOf(writer.doc, readAgenda(writer.doc)[0]!.id)!;
    notes.delete(0, 10 * KB);
    await writer.commits.whenCovered();
    const reader = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    cleanups.push(() => reader.destroy());
    await reader.synced;
    expect(notesText(reader)).toBe(first.slice(10 * KB));
    expect(notices).toHaveLength(1);
    expect(Y.encodeStateAsUpdate(reader.doc).byteLength).toBeLessThan(100 * KB);
  });
});

describe('awareness', () => {
  let server: TestServer;
  let fixture: Fixture;
  let viewer: Person;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    fixture = await reviewFixture(server.origin);
    viewer = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Vic Viewer');
    const role = await fixture.facilitator.client.request(
      'PUT',
      `/api/reviews/${fixture.review.id}/participants/${viewer.user.id}`,
      { role: 'viewer' },
    );
    expect(role.status).toBe(200);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server?.stop();
  });

  it('relays only the fields Lastmile’s client announces, with valid colors and bounded ids', async () => {
    const sender = connectBoard(server.origin, viewer.client, fixture.review.id);
    const watcher = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    cleanups.push(
      () => sender.destroy(),
      () => watcher.destroy(),
    );
    await Promise.all([sender.synced, watcher.synced]);
    const itemId = readAgenda(watcher.doc)[0]!.id;
    sender.provider.awareness.setLocalState({
      user: { name: 'Vic', color: 'red;position:fixed;inset:0', colorLight: '#2563eb33' },
      itemId,
      editingItemId: 'x'.repeat(200),
      banner: '<img src=x onerror=alert(1)>',
    });
    await eventually(
      () => watcher.provider.awareness.getStates().get(sender.doc.clientID)?.itemId === itemId,
      5_000,
      'the presence',
    );
    expect(watcher.provider.awareness.getStates().get(sender.doc.clientID)).toEqual({
      user: { id: viewer.user.id, name: viewer.user.name, colorLight: '#2563eb33' },
      readOnly: true,
      itemId,
    });
  });

  it('answers query-awareness sparingly and never with large states', async () => {
    const reviewId = fixture.review.id;
    const watcher = connectBoard(server.origin, fixture.facilitator.client, reviewId);
    cleanups.push(() => watcher.destroy());
    await watcher.synced;
    const { socket, received } = await openRaw(server, viewer, reviewId);
    cleanups.push(() => socket.terminate());
    // Eight client ids with 1.5 KB of junk each (one awareness frame well within the message size), then 20
    // one-byte queries, then a sync step 1 whose answer comes after every query's.
    const junk = 'j'.repeat(1_500);
    const ids = Array.from({ length: 8 }, (_, i) => 900_000 + i);
    socket.send(frame(1, encodeAwarenessUpdate(ids.map((clientId) => ({ clientId, clock: 1, state: { junk } })))));
    for (let i = 0; i < 20; i++) socket.send(frame(3));
    socket.send(frame(0, 0, Y.encodeStateVector(new Y.Doc())));
    const step2Count = () => received.filter((message) => message[0] === 0 && message[1] === 1).length;
    await eventually(() => step2Count() >= 1, 5_000, 'the sync step 2');
    const awareness = received.filter((message) => typeOf(message) === 1);
    const bytes = awareness.reduce((sum, message) => sum + message.byteLength, 0);
    // Who was here on joining, the broadcast of its own announcement and one answer: not twenty answers.
    expect(awareness.length).toBeLessThanOrEqual(3);
    expect(bytes).toBeLessThan(8 * KB);

    const room = server.rooms.loaded.get(reviewId)!;
    const kept = ids.filter((id) => room.awareness.getStates().has(id));
    expect(kept.length).toBeLessThanOrEqual(4);
    for (const id of kept) expect(JSON.stringify(room.awareness.getStates().get(id)).length).toBeLessThan(300);
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
  });

  it('ignores a connection’s awareness beyond its bytes per second', async () => {
    const reviewId = fixture.review.id;
    const { socket } = await openRaw(server, viewer, reviewId);
    cleanups.push(() => socket.terminate());
    const huge = 'h'.repeat(100_000);
    socket.send(frame(1, encodeAwarenessUpdate([{ clientId: 800_001, clock: 1, state: { itemId: 'a', huge } }])));
    // A small one behind it is still taken.
    socket.send(frame(1, encodeAwarenessUpdate([{ clientId: 800_002, clock: 1, state: { itemId: 'b' } }])));
    const room = server.rooms.loaded.get(reviewId)!;
    await eventually(() => room.awareness.getStates().get(800_002)?.itemId === 'b', 5_000, 'the small state');
    expect(room.awareness.getStates().has(800_001)).toBe(false);
  });
});

describe('a client that stops reading', () => {
  let server: TestServer;
  let fixture: Fixture;
  let reader: Person;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    const lots = 1024 * 1024 * 1024;
    server = await startTestServer(
      {},
      {
        rooms: {
          limits: {
            connectionBytesPerMinute: lots,
            roomBytesPerMinute: lots,
            maxBoardBytes: lots,
            maxBufferedBytes: 256 * KB,
          },
        },
      },
    );
    fixture = await reviewFixture(server.origin);
    reader = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Rita Reader');
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server?.stop();
  });

  it('is dropped once what waits unsent for it passes the limit, and the room goes on', async () => {
    const reviewId = fixture.review.id;
    const writer = connectBoard(server.origin, fixture.facilitator.client, reviewId);
    cleanups.push(() => writer.destroy());
    await writer.synced;
    const { socket } = await openRaw(server, reader, reviewId);
    cleanups.push(() => socket.terminate());
    const room = server.rooms.loaded.get(reviewId)!;
    const readerConnected = () => [...room.connections].some((connection) => connection.userId === reader.user.id);
    await eventually(readerConnected, 5_000, 'the reader to join');
    socket.pause();
    // The operating system's socket buffers take some megabytes first; 60 pastes of 900 KB are far beyond them.
    for (let i = 0; i < 60 && readerConnected(); i++) {
      paste(writer, randomText(900 * KB, 200 + i));
      await writer.commits.whenCovered();
    }
    await eventually(() => !readerConnected(), 5_000, 'the reader to be dropped');
    expect(writer.closes).toEqual([]);
  }, 120_000);
});
