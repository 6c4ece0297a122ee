// Scenarios about a room's life: joining a review of 10,000 updates, and rooms left in memory once their clients
// have gone.
import * as Y from 'yjs';
import type { BenchClient } from './clients.ts';
import { connectRooms, sleep, withTimeout } from './connect.ts';
import { BENCH_ITEM, percentile, prepareBoard, typeInto } from './flow.ts';
import { notesOf } from '../../../server/domain/board.ts';
import type { Context } from './scenarios.ts';
import type { Figures } from './types.ts';

/** A client's own edits are in the other document. */
const hasEditsOf = (holder: Y.Doc, writer: Y.Doc) =>
  Y.getState(holder.store, writer.clientID) >= Y.getState(writer.store, writer.clientID);

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Resolves once Lastmile acknowledges everything `client` wrote (immediately for the references). */
function durable(ctx: Context, client: BenchClient): Promise<void> {
  if (ctx.target.kind !== 'lastmile') return Promise.resolve();
  const clock = Y.getState(client.doc.store, client.doc.clientID);
  return withTimeout(
    new Promise<void>((resolve) => {
      client.onAck = (committed) => {
        if ((committed.get(client.doc.clientID) ?? 0) >= clock) resolve();
      };
    }),
    30_000,
    'a durable acknowledgement',
  );
}

interface Join {
  /** From creating the provider to its first completed sync. */
  totalMs: number;
  /** Of which until the socket opened (the upgrade, with Lastmile's sign-in checks). */
  handshakeMs: number;
}

async function timeJoin(ctx: Context, room: string, expectedLength: number): Promise<Join> {
  const started = performance.now();
  const client = ctx.target.connect(room, 0);
  let openedAt = Number.NaN;
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected' && Number.isNaN(openedAt)) openedAt = performance.now();
  });
  await withTimeout(client.synced, 30_000, 'a joining client to sync');
  const totalMs = performance.now() - started;
  const length = notesOf(client.doc, BENCH_ITEM)?.length ?? 0;
  client.destroy();
  if (length !== expectedLength) throw new Error(`joined a document of ${length} characters, not ${expectedLength}`);
  return { totalMs, handshakeMs: openedAt - started };
}

/**
 * Writers append to a text one update at a time (a note typed in a review) until the room holds `joinUpdates`
 * updates; then new clients join while the room is live (and, for Lastmile, also after it was unloaded).
 */
export async function joinLongDocument(ctx: Context): Promise<Figures> {
  // Each writer stays under Lastmile's per-connection burst (500 messages, including its handshake).
  const perWriter = 400;
  const [room] = (await ctx.target.createRooms(1)) as [string];
  const [[holder]] = (await connectRooms(ctx.target, [room], 1)) as [[BenchClient]];
  await prepareBoard([holder]);
  const buildStarted = performance.now();
  for (let written = 0; written < ctx.env.joinUpdates; written += perWriter) {
    const [[writer]] = (await connectRooms(ctx.target, [room], 1)) as [[BenchClient]];
    for (let i = 0; i < Math.min(perWriter, ctx.env.joinUpdates - written); i++) typeInto(writer.doc, 'edit ');
    const acknowledged = durable(ctx, writer);
    if (!(await until(() => hasEditsOf(holder.doc, writer.doc), 60_000)))
      throw new Error('the live room did not receive a writer’s edits');
    await acknowledged;
    writer.destroy();
  }
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const expectedLength = notesOf(holder.doc, BENCH_ITEM)!.length;
  const warm: Join[] = [];
  for (let i = 0; i < ctx.env.joins; i++) {
    warm.push(await timeJoin(ctx, room, expectedLength));
    await sleep(200);
  }
  let coldP50Ms: number | null = null;
  if (ctx.target.kind === 'lastmile') {
    // Cold: the room is unloaded (its clients gone, everything committed) and loads from PostgreSQL on join.
    const loaded = (await ctx.server.sample()).rooms;
    holder.destroy();
    const cold: number[] = [];
    for (let i = 0; i < Math.min(3, ctx.env.joins); i++) {
      if (!(await until(async () => (await ctx.server.sample()).rooms < loaded, 10_000))) break;
      cold.push((await timeJoin(ctx, room, expectedLength)).totalMs);
    }
    coldP50Ms = percentile(cold, 50);
  } else {
    holder.destroy();
  }
  const warmP50 = (part: (join: Join) => number) => percentile(warm.map(part), 50);
  return {
    warmJoinP50Ms: warmP50((join) => join.totalMs),
    warmHandshakeP50Ms: warmP50((join) => join.handshakeMs),
    warmSyncP50Ms: warmP50((join) => join.totalMs - join.handshakeMs),
    coldJoinP50Ms: coldP50Ms,
    buildSeconds,
  };
}

/** Single-client rooms open, edit once (durably, for Lastmile) and close; how many rooms stay in memory? */
export async function roomsLeftAfterLeaving(ctx: Context): Promise<Figures> {
  const rooms = await ctx.target.createRooms(ctx.env.unloadRooms);
  const baseline = (await ctx.server.sample()).rooms;
  let peak = baseline;
  for (let start = 0; start < rooms.length; start += 50) {
    const batch = await connectRooms(ctx.target, rooms.slice(start, start + 50), 1, 50);
    const clients = batch.map(([client]) => client!);
    // One edit each: adding the agenda item the writers type into.
    await Promise.all(clients.map((client) => prepareBoard([client])));
    await Promise.all(clients.map((client) => durable(ctx, client)));
    peak = Math.max(peak, (await ctx.server.sample()).rooms);
    for (const client of clients) client.destroy();
  }
  const left = performance.now();
  let roomsNow = (await ctx.server.sample()).rooms;
  const emptied = await until(async () => {
    roomsNow = (await ctx.server.sample()).rooms;
    return roomsNow <= baseline;
  }, ctx.env.unloadWaitMs);
  return {
    roomsLeft: roomsNow - baseline,
    secondsUntilUnloaded: emptied ? (performance.now() - left) / 1000 : null,
    peakRooms: peak - baseline,
  };
}
