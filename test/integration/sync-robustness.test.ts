// Hostile and broken frames close the sending connection only; the room and the process keep working.
import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { encodeAwarenessUpdate } from '../../server/sync/protocol.ts';
import { addMember, reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let observer: BoardClient;
let itemId: string;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  observer = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  await observer.synced;
  itemId = readAgenda(observer.doc)[0]!.id;
});
afterAll(async () => {
  observer?.destroy();
  await server?.stop();
});

/** Opens an authenticated raw socket, sends `frames`, and reports how the server closed it (if it did). */
function sendRaw(frames: (Uint8Array | string)[], waitMs = 300, cookie = fixture.facilitator.client.cookie!) {
  return new Promise<{ code: number; reason: string } | null>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, {
      headers: { origin: server.origin, cookie },
    });
    let timer: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      for (const frame of frames) socket.send(frame);
      timer = setTimeout(() => {
        socket.terminate();
        resolve(null);
      }, waitMs);
    });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
    socket.on('error', (error) => {
      if (!String(error).includes('ECONNRESET')) reject(error);
    });
  });
}

// The server runs in this process; a forced collection makes heap figures comparable.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function validUpdateFrame(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('items').set('x', 'y');
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  }
  return encoding.toUint8Array(encoder);
}

describe('malformed frames', () => {
  it('closes only the sender with 4400 for hundreds of broken frames, and the room keeps syncing', async () => {
    const next = random(42);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    const valid = validUpdateFrame();
    const cases: (Uint8Array | string)[] = [
      'a text frame',
      new Uint8Array(0),
      frame(7),
      frame(99),
      frame(0, 9, bytes(4)),
      frame(0, 2, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
      frame(1, Uint8Array.from([5, 1])), // awareness claiming 5 entries, holding none
      frame(1, new TextEncoder().encode('not an awareness update')),
    ];
    for (let i = 0; i < 60; i++) cases.push(valid.slice(0, 1 + Math.floor(next() * (valid.length - 2)))); // truncated
    for (let i = 0; i < 60; i++) {
      const flipped = valid.slice();
      flipped[3 + Math.floor(next() * (flipped.length - 3))]! ^= 1 << Math.floor(next() * 8);
      cases.push(flipped); // bit flips inside the update
    }
    for (let i = 0; i < 60; i++) cases.push(frame(0, 2, bytes(1 + Math.floor(next() * 64)))); // garbage updates
    for (let i = 0; i < 40; i++) cases.push(bytes(1 + Math.floor(next() * 32))); // garbage frames

    const codes = new Map<number | 'open', number>();
    let baselineHeap = 0;
    for (const [index, bad] of cases.entries()) {
      if (index === 40) baselineHeap = heapAfterGc();
      const closed = await sendRaw([bad], 150);
      const key = closed?.code ?? 'open';
      codes.set(key, (codes.get(key) ?? 0) + 1);
      // Some random bytes happen to be valid messages; everything else must be refused with 4400.
      if (closed) expect(closed.code, `case ${index}`).toBe(4400);
      if (index % 40 === 0) {
        const marker = `alive-${index} `;
        notesOf(observer.doc, itemId)!.insert(0, marker);
        await observer.commits.whenCovered();
      }
    }
    expect(codes.get(4400)).toBeGreaterThan(cases.length / 2);
    // Refused frames leave nothing behind: the heap after a full collection stays where it was.
    expect(heapAfterGc() - baselineHeap).toBeLessThan(16 * 1024 * 1024);
    expect(cases.length).toBeGreaterThanOrEqual(200);

    // The room is intact: the observer is still connected and in sync, and nothing was left behind.
    const room = server.rooms.loaded.get(fixture.review.id)!;
    await eventually(() => room.connections.size === 1, 5_000, 'raw sockets to leave');
    expect(observer.provider.wsconnected).toBe(true);
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(Y.encodeStateAsUpdate(observer.doc));
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    // Every stored update still decodes, so the board loads after a restart.
    const rows = await server.db.sql<{ update: Buffer }[]>`
      select update from board_updates where review_id = ${fixture.review.id}
    `;
    for (const row of rows) expect(() => Y.decodeUpdate(new Uint8Array(row.update))).not.toThrow();
  }, 60_000);

  it('refuses a frame over 1 MiB with 1009', async () => {
    const closed = await sendRaw([frame(0, 2, new Uint8Array(1024 * 1024 + 10))], 2_000);
    expect(closed?.code).toBe(1009);
  });

  it('closes a connection that floods the room with 4429', async () => {
    const flood = Array.from({ length: 2_000 }, () => frame(3));
    const closed = await sendRaw(flood, 2_000);
    expect(closed).toEqual({ code: 4429, reason: 'Too many messages' });
  });

  it('ignores awareness for a client id another user’s connection owns', async () => {
    const mallory = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Mallory');
    observer.provider.awareness.setLocalStateField('itemId', itemId);
    const observerId = observer.doc.clientID;
    const room = server.rooms.loaded.get(fixture.review.id)!;
    await eventually(() => room.awareness.getStates().get(observerId)?.itemId === itemId, 5_000, 'presence');
    const spoof = encodeAwarenessUpdate([{ clientId: observerId, clock: 10_000, state: { itemId: 'hijacked' } }]);
    expect(await sendRaw([frame(1, spoof)], 300, mallory.client.cookie!)).toBeNull();
    expect(room.awareness.getStates().get(observerId)?.itemId).toBe(itemId);

    // The same person on a new socket (a reconnect before the old one is noticed dead) takes the id along;
    // here the observer is still alive, so when the extra socket's removal reaches it, its client re-asserts
    // its state (y-protocols never lets a remote remove the local state) and the id comes back to it.
    const moved = encodeAwarenessUpdate([{ clientId: observerId, clock: 10_001, state: { itemId: 'moved' } }]);
    expect(await sendRaw([frame(1, moved)], 300)).toBeNull();
    await eventually(() => room.connections.size === 1, 5_000, 'the extra socket to leave');
    await eventually(
      () => room.awareness.getStates().has(observerId) && [...room.connections][0]!.clientIds.has(observerId),
      5_000,
      'the observer to re-assert its presence',
    );
    expect(room.awareness.getStates().get(observerId)?.user).toMatchObject({ id: fixture.facilitator.user.id });
  });
});
