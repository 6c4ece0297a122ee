// Scale-out: three Lastmile processes share the same reviews through Redis and one PostgreSQL. Real y-websocket
// clients spread across them type unique markers; every client converges, is acknowledged, and sees everyone's
// presence; a server-side edit made by one process reaches clients of the others, and a reading taken in by one
// reaches a live page served by another; one process is killed with SIGKILL and its clients reconnect to another;
// in the end PostgreSQL holds every marker once and no update was persisted twice; signing out everywhere on one
// process closes the sockets and live event streams of the others. Needs Redis (REDIS_URL, default 127.0.0.1:6379): skipped on a laptop without it, never in CI.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { findFreePort, startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { notesOf, readAgenda, readRoom } from '../../server/domain/board.ts';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { openEventStream } from '../support/live.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { createReview } from '../support/reviews.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';
import { REDIS_URL, requireRedisInCi } from '../support/redis.ts';

const available = await requireRedisInCi('the scale-out test');

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Writer {
  board: BoardClient;
  server: number;
  written: string[];
}

/** Every (client, clock) range of every stored update: two rows covering the same range were persisted twice. */
function overlappingRanges(updates: Uint8Array[]): number {
  const ranges = new Map<number, [number, number][]>();
  for (const update of updates) {
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [client, start] of from) {
      const list = ranges.get(client) ?? [];
      list.push([start, to.get(client)!]);
      ranges.set(client, list);
    }
  }
  let overlaps = 0;
  for (const list of ranges.values()) {
    list.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < list.length; i++) if (list[i]![0] < list[i - 1]![1]) overlaps += 1;
  }
  return overlaps;
}

describe.skipIf(!available)('several processes behind a load balancer', () => {
  it('converge, acknowledge, share presence and server edits, and survive a SIGKILL of one of them', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-scale-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const database = await startEmbeddedPostgres({ dataDir });
    cleanups.push(() => database.stop());
    const ports = [await findFreePort(), await findFreePort(), await findFreePort()];
    const origins = ports.map((port) => `http://localhost:${port}`);
    const prefix = `test-${randomUUID()}`;
    const servers: StartedProcess[] = [];
    cleanups.push(async () => {
      for (const server of servers)
        if (server.child.exitCode === null) {
          server.child.kill('SIGKILL');
          await server.exited;
        }
    });
    // One after the other: the first one migrates the database.
    for (const [index, port] of ports.entries()) {
      const server = startProcess({
        PORT: String(port),
        PUBLIC_URL: origins[index]!,
        ALLOWED_ORIGINS: origins.join(','),
        DATABASE_URL: database.url,
        SEED_DEMO: 'false',
        REDIS_URL,
        REDIS_PREFIX: prefix,
      });
      servers.push(server);
      await waitForOutput(server, 'Press Ctrl+C to stop.');
    }

    const { client, user } = await signUp(origins[0]!, 'Scale Tester');
    const org = await createOrganization(client, 'Scale Org');
    const metric = await createMetric(client, org.id, user.id);
    const review = await createReview(client, org.id, { title: 'Offsite review', metricIds: [metric.id] });
    const clientOf = (server: number) => {
      const api = new ApiClient(origins[server]!);
      api.cookie = client.cookie;
      return api;
    };

    const writers: Writer[] = [];
    cleanups.push(() => writers.forEach((writer) => writer.board.destroy()));
    for (let i = 0; i < 9; i++) {
      const server = i % 3;
      const board = connectBoard(origins[server]!, clientOf(server), review.id);
      await board.synced;
      writers.push({ board, server, written: [] });
    }
    const itemId = readAgenda(writers[0]!.board.doc)[0]!.id;
    const type = async (rounds: number) => {
      await Promise.all(
        writers.map(async (writer, index) => {
          for (let round = 0; round < rounds; round++) {
            const marker = `<w${index}-${writer.written.length}>`;
            writer.written.push(marker);
            const notes = notesOf(writer.board.doc, itemId)!;
            notes.insert(notes.length, marker);
            await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
          }
        }),
      );
    };
    const converged = () => {
      const texts = writers.map((writer) => notesOf(writer.board.doc, itemId)!.toString());
      return (
        texts.every((text) => text === texts[0]) && writers.every((w) => w.written.every((m) => texts[0]!.includes(m)))
      );
    };

    await type(15);
    await eventually(converged, 15_000, 'clients of three processes to converge');
    // The owner persists for everyone; every process acknowledges what is committed to its own clients.
    await eventually(() => writers.every((writer) => writer.board.commits.covered), 20_000, 'every edit acknowledged');
    // Presence crosses processes: everyone sees all nine clients, each stamped with the signed-in user.
    for (const writer of writers) writer.board.provider.awareness.setLocalStateField('itemId', itemId);
    await eventually(
      () => writers.every((writer) => writer.board.provider.awareness.getStates().size === 9),
      10_000,
      'awareness of all nine clients everywhere',
    );

    // A server-side edit made by the second process reaches the clients of the first and third.
    const phase = await clientOf(1).request('PUT', `/api/reviews/${review.id}/phase`, { phase: 'triage' });
    expect(phase.status).toBe(200);
    await eventually(
      () => writers.every((writer) => readRoom(writer.board.doc).phase === 'triage'),
      10_000,
      'the phase change everywhere',
    );

    // A reading taken in by the second process reaches a live page served by the third.
    const stream = await openEventStream(origins[2]!, client, org.id);
    try {
      const reading = await clientOf(1).post(`/api/metrics/${metric.id}/readings`, { value: 10, at: planInstant(50) });
      expect(reading.status).toBeLessThan(300);
      expect(await stream.waitFor(() => stream.received.some((r) => r.event === 'metric.updated'))).toBe(true);
      expect(stream.received.find((r) => r.event === 'metric.updated')!.data).toMatchObject({ metricId: metric.id });
    } finally {
      await stream.close();
    }

    // The first process dies; its clients reconnect through another process (as a load balancer would send them).
    const killed = 0;
    servers[killed]!.child.kill('SIGKILL');
    await servers[killed]!.exited;
    for (const writer of writers.filter((w) => w.server === killed)) {
      const doc = writer.board.doc;
      writer.board.provider.destroy();
      writer.server = 1;
      writer.board = connectBoard(origins[1]!, clientOf(1), review.id, { doc });
    }
    await type(10);
    await eventually(converged, 20_000, 'convergence after the kill').catch((error: unknown) => {
      const texts = writers.map((writer) => notesOf(writer.board.doc, itemId)!.toString());
      const missing = writers.map(
        (writer, index) => writers.flatMap((w) => w.written).filter((marker) => !texts[index]!.includes(marker)).length,
      );
      const state = writers.map(
        (writer, index) =>
          `client ${index} on ${writer.server}: ${texts[index]!.length} chars, ${missing[index]} markers missing, ` +
          `connected ${writer.board.provider.wsconnected}, closes ${JSON.stringify(writer.board.closes)}`,
      );
      throw new Error(`${String(error)}\n${state.join('\n')}\n${servers.map((s) => s.output()).join('\n---\n')}`);
    });
    await eventually(
      () => writers.every((writer) => writer.board.commits.covered),
      30_000,
      'every edit acknowledged after the kill',
    );

    // PostgreSQL alone: a reader of a fresh single process (no Redis) gets exactly the clients' board.
    const text = notesOf(writers[0]!.board.doc, itemId)!.toString();
    for (const writer of writers)
      for (const marker of writer.written) expect(text.split(marker).length - 1, `${marker} once`).toBe(1);
    const sql = postgres(database.url, { max: 1 });
    cleanups.push(() => sql.end({ timeout: 1 }));
    const rows = await sql<{ update: Buffer }[]>`
      select update from board_updates where review_id = ${review.id} order by seq
    `;
    expect(overlappingRanges(rows.map((row) => new Uint8Array(row.update)))).toBe(0);
    const stored = new Y.Doc();
    const [snapshot] = await sql<{ uptoSeq: string; state: Buffer }[]>`
      select upto_seq::text, state from board_snapshots where review_id = ${review.id} order by upto_seq desc limit 1
    `;
    if (snapshot) Y.applyUpdate(stored, new Uint8Array(snapshot.state));
    const tail = await sql<{ update: Buffer }[]>`
      select update from board_updates where review_id = ${review.id} and seq > ${Number(snapshot?.uptoSeq ?? 0)}
      order by seq
    `;
    for (const row of tail) Y.applyUpdate(stored, new Uint8Array(row.update));
    expect(notesOf(stored, itemId)!.toString()).toBe(text);

    // Signing out everywhere on one process closes the user's sockets and live event streams on the others.
    const livePage = await openEventStream(origins[1]!, client, org.id);
    const out = await clientOf(2).post('/api/auth/logout-everywhere');
    expect(out.status).toBeLessThan(300);
    await eventually(
      () => writers.every((writer) => writer.board.closes.some((close) => close.code === 4401)),
      5_000,
      'every socket closed after signing out everywhere',
    );
    await livePage.endedWithin(5_000);
    expect(livePage.received.at(-1)).toEqual({ event: 'closed', data: { reason: 'Signed out everywhere' } });
  }, 180_000);
});
