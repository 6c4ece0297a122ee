// Protocol fuzz: thousands of random and mutated frames (bit flips, truncation, huge length prefixes, wrong
// message types, garbage; small frames and large ones, which the server decodes in a worker) over authenticated
// connections. The server never throws out of a handler, keeps answering /healthz, closes an offending connection
// with a code, and the board stays one consistent state: a watching client, the live room and a reload from
// PostgreSQL all agree. Memory growth stays bounded.
import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { encodeAwarenessUpdate } from '../../server/sync/protocol.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';
import { seededRandom } from '../../db/seed/demo-history.ts';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 2_000);

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let observer: BoardClient;

beforeAll(async () => {
  server = await startTestServer({ SYNC_UPGRADES_PER_MINUTE_PER_IP: '100000' });
  fixture = await reviewFixture(server.origin);
  observer = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  await observer.synced;
});
afterAll(async () => {
  observer?.destroy();
  await server?.stop();
});

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts)
    if (typeof part === 'number') encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  return encoding.toUint8Array(encoder);
}

/**
 * Valid frames to mutate: a sync step 1, a real edit, an awareness update, and a large edit (thousands of
 * scattered letters, over 32 KB: the server decodes it in its worker, under a deadline).
 */
function corpus(itemId: string): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(observer.doc));
  let edit: Uint8Array = new Uint8Array();
  doc.on('update', (update: Uint8Array) => (edit = update));
  const notes = notesOf(doc, itemId)!;
  notes.insert(0, 'fuzz seed text ');
  const small = edit;
  doc.transact(() => {
    for (let i = 0; i < 8_000; i++) notes.insert((i * 7919) % (notes.length + 1), 'f');
  });
  const large = edit;
  expect(large.byteLength).toBeGreaterThan(32 * 1024);
  const awareness = encodeAwarenessUpdate([{ clientId: doc.clientID, clock: 1, state: { itemId } }]);
  return [frame(0, 0, Y.encodeStateVector(doc)), frame(0, 2, small), frame(1, awareness), frame(0, 2, large)];
}

function mutate(source: Uint8Array, next: () => number): Uint8Array {
  const pick = Math.floor(next() * 6);
  const bytes = new Uint8Array(source);
  switch (pick) {
    case 0: {
      // Bit flips.
      for (let i = 0; i < 1 + Math.floor(next() * 4); i++)
        bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      return bytes;
    }
    case 1:
      return bytes.slice(0, Math.floor(next() * bytes.length));
    case 2: {
      // A huge length prefix in front of a short payload.
      return new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, ...bytes.slice(0, 8)]);
    }
    case 3:
      return new Uint8Array([Math.floor(next() * 256), ...bytes.slice(1)]);
    case 4:
      return Uint8Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256));
    default: {
      const extra = Uint8Array.from({ length: 1 + Math.floor(next() * 16) }, () => Math.floor(next() * 256));
      return new Uint8Array([...bytes, ...extra]);
    }
  }
}

/** Sends frames over one socket until the server closes it or they run out; resolves with the close code. */
function attack(frames: Uint8Array[]): Promise<{ code: number | null; sent: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, {
      headers: { origin: server.origin, cookie: fixture.facilitator.client.cookie! },
    });
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      for (const data of frames) {
        if (socket.readyState !== WebSocket.OPEN) break;
        socket.send(data);
        sent += 1;
      }
      timer = setTimeout(() => {
        socket.terminate();
        resolve({ code: null, sent });
      }, 150);
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, sent });
    });
    socket.on('unexpected-response', (_request, response) => resolve({ code: response.statusCode ?? -1, sent }));
    socket.on('error', () => {});
  });
}

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  collect();
  return process.memoryUsage().heapUsed;
};

describe('protocol fuzz', () => {
  it('refuses an update that depends on changes the server never saw, so joiners are not poisoned', async () => {
    const itemId = readAgenda(observer.doc)[0]!.id;
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(observer.doc));
    const updates: Uint8Array[] = [];
    forged.on('update', (update: Uint8Array) => updates.push(update));
    notesOf(forged, itemId)!.insert(0, 'never sent ');
    notesOf(forged, itemId)!.insert(0, 'depends on it ');
    // A client that has answered the server's sync step 1 (here with nothing), then sends only the second edit:
    // its predecessor is missing on the server.
    const { code } = await attack([frame(0, 1, Y.encodeStateAsUpdate(new Y.Doc())), frame(0, 2, updates[1]!)]);
    expect(code).toBe(4400);
    const room = server.rooms.loaded.get(fixture.review.id)!;
    expect(room.doc.store.pendingStructs).toBeNull();
    const joiner = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    await joiner.synced;
    expect(readAgenda(joiner.doc)).toEqual(readAgenda(room.doc));
    expect(notesOf(joiner.doc, itemId)!.toString()).not.toContain('depends on it');
    joiner.destroy();
  });

  it('lets a client that has not answered sync step 1 yet send an edit before its predecessors, for a while', async () => {
    const itemId = readAgenda(observer.doc)[0]!.id;
    const edits = (first: string, second: string) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(observer.doc));
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      notesOf(doc, itemId)!.insert(0, first);
      notesOf(doc, itemId)!.insert(0, second);
      return updates;
    };
    const open = () =>
      new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, {
        headers: { origin: server.origin, cookie: fixture.facilitator.client.cookie! },
      });
    const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

    // A reconnecting client types at once: its edit arrives before the step 2 that carries what it builds on.
    const honest = edits('kept offline ', 'typed on reconnect ');
    const reconnecting = open();
    await new Promise((resolve) => reconnecting.on('open', resolve));
    reconnecting.send(frame(0, 2, honest[1]!));
    await new Promise((resolve) => setTimeout(resolve, 300));
    reconnecting.send(frame(0, 1, honest[0]!));
    await eventually(
      () => notesOf(observer.doc, itemId)!.toString().includes('typed on reconnect kept offline'),
      5_000,
      'both edits to reach the room',
    );
    expect(reconnecting.readyState).toBe(WebSocket.OPEN);
    reconnecting.close();

    // One whose predecessors never come is closed after the grace, and nothing of it stays.
    const dangling = edits('never sent ', 'waits forever ');
    const waiting = open();
    await new Promise((resolve) => waiting.on('open', resolve));
    waiting.send(frame(0, 2, dangling[1]!));
    expect(await closed(waiting)).toBe(4400);
    const room = server.rooms.loaded.get(fixture.review.id)!;
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(notesOf(observer.doc, itemId)!.toString()).not.toContain('waits forever');
  });

  it(
    `survives ${FRAMES} mutated frames, closing offenders with a code and keeping one consistent board`,
    async () => {
      const itemId = readAgenda(observer.doc)[0]!.id;
      const next = seededRandom(Number(process.env.FUZZ_SEED ?? 7));
      const seeds = corpus(itemId);
      const baseline = heapAfterGc();
      const codes = new Map<number | null, number>();
      let remaining = FRAMES;
      while (remaining > 0) {
        const batch = Array.from({ length: Math.min(remaining, 25) }, () =>
          mutate(seeds[Math.floor(next() * seeds.length)]!, next),
        );
        const { code, sent } = await attack(batch);
        remaining -= Math.max(1, sent);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      // Offending connections were closed with Lastmile's codes; nothing was refused at the door.
      for (const code of codes.keys()) expect([null, 1009, 4400, 4429]).toContain(code);
      expect(codes.get(4400) ?? 0).toBeGreaterThan(10);
      expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);

      // One consistent board: the observer, the live room and a reload from PostgreSQL.
      notesOf(observer.doc, itemId)!.insert(0, 'still editing ');
      await observer.commits.whenCovered();
      const room = server.rooms.loaded.get(fixture.review.id)!;
      const live = readAgenda(room.doc);
      expect(readAgenda(observer.doc)).toEqual(live);
      const reader = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
      await reader.synced;
      await eventually(
        () => JSON.stringify(readAgenda(reader.doc)) === JSON.stringify(live),
        5_000,
        'a fresh client to see the same board',
      );
      reader.destroy();
      // …and what PostgreSQL holds: the room unloads once everyone left, then loads from the database.
      observer.destroy();
      await eventually(() => !server.rooms.loaded.has(fixture.review.id), 10_000, 'the room to unload');
      const reloaded = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
      await reloaded.synced;
      expect(readAgenda(reloaded.doc)).toEqual(live);
      reloaded.destroy();
      expect(heapAfterGc() - baseline).toBeLessThan(48 * 1024 * 1024);
    },
    Math.max(120_000, FRAMES * 10),
  );
});
