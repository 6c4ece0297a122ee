// Crash loop: real y-websocket clients in several rooms write unique markers while the server is killed with
// SIGKILL at random moments and restarted. Afterwards a fresh server loads every room from PostgreSQL alone:
// every acknowledged marker is there, every client holds the same board, and no marker appears twice. First, a
// frame over the size limit must close only its socket (1009), not the real server process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { findFreePort, startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { createReview } from '../support/reviews.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const ROOMS = Number(process.env.CRASH_ROOMS ?? 3);
const CLIENTS_PER_ROOM = Number(process.env.CRASH_CLIENTS ?? 3);
const KILLS = Number(process.env.CRASH_KILLS ?? 3);

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Writer {
  board: BoardClient;
  itemId: string;
  written: string[];
  /** Markers known to be committed: everything written before an acknowledgement covered the document. */
  acked: number;
}

describe('crash loop', () => {
  it(
    'loses no acknowledged edit and duplicates nothing across SIGKILLs',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-crash-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const database = await startEmbeddedPostgres({ dataDir });
      cleanups.push(() => database.stop());
      const port = await findFreePort();
      const origin = `http://localhost:${port}`;
      const env = { PORT: String(port), PUBLIC_URL: origin, DATABASE_URL: database.url, SEED_DEMO: 'false' };
      let server: StartedProcess = startProcess(env);
      const stop = async () => {
        if (server.child.exitCode !== null) return;
        server.child.kill('SIGKILL');
        await server.exited;
      };
      cleanups.push(stop);
      await waitForOutput(server, 'Press Ctrl+C to stop.');

      const { client, user } = await signUp(origin, 'Crash Tester');
      const org = await createOrganization(client, 'Crash Org');
      const metric = await createMetric(client, org.id, user.id);
      const writers: Writer[] = [];
      cleanups.push(() => writers.forEach((writer) => writer.board.destroy()));
      // A frame over the limit closes that socket with 1009 and nothing else: the process stays up.
      const probe = await createReview(client, org.id, { title: 'Oversized frame probe' });
      const oversized = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://localhost:${port}/sync/${probe.id}`, {
          headers: { origin, cookie: client.cookie! },
        });
        socket.on('open', () => socket.send(new Uint8Array(2 * 1024 * 1024)));
        socket.on('close', (code) => resolve(code));
        socket.on('error', () => {});
      });
      expect(oversized).toBe(1009);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect(server.child.exitCode).toBeNull();

      for (let room = 0; room < ROOMS; room++) {
        const review = await createReview(client, org.id, { title: `Crash room ${room}`, metricIds: [metric.id] });
        for (let i = 0; i < CLIENTS_PER_ROOM; i++) {
          const board = connectBoard(origin, client, review.id);
          await board.synced;
          const writer: Writer = { board, itemId: readAgenda(board.doc)[0]!.id, written: [], acked: 0 };
          board.commits.onAck(() => {
            if (board.commits.covered) writer.acked = writer.written.length;
          });
          writers.push(writer);
        }
      }

      let writing = true;
      const typing = writers.map(async (writer, index) => {
        while (writing) {
          // The first writer starts with a large paste (over 32 KB): the server checks it in its worker thread.
          const marker =
            index === 0 && writer.written.length === 0
              ? `<paste ${'pasted text '.repeat(3_000)}>`
              : `<m${index}-${writer.written.length}>`;
          writer.written.push(marker);
          const notes = notesOf(writer.board.doc, writer.itemId)!;
          notes.insert(notes.length, marker);
          await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 60));
        }
      });

      for (let kill = 0; kill < KILLS; kill++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 2_000));
        await stop();
        server = startProcess(env);
        await waitForOutput(server, 'Press Ctrl+C to stop.');
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      writing = false;
      await Promise.all(typing);
      // Clients reconnect and resend what the dead server never committed; once all is acknowledged, kill again.
      await eventually(() => writers.every((writer) => writer.board.commits.covered), 60_000, 'every edit committed');
      const ackedMarkers = writers.flatMap((writer) => writer.written.slice(0, writer.acked));
      expect(ackedMarkers.length).toBeGreaterThan(ROOMS * CLIENTS_PER_ROOM * 10);
      await stop();

      server = startProcess(env);
      await waitForOutput(server, 'Press Ctrl+C to stop.');
      const stored = new Map<string, string>();
      for (const writer of writers) {
        const reviewId = writer.board.provider.roomname;
        if (stored.has(reviewId)) continue;
        const reader = connectBoard(origin, client, reviewId);
        await reader.synced;
        stored.set(reviewId, notesOf(reader.doc, writer.itemId)!.toString());
        reader.destroy();
      }
      for (const writer of writers) {
        const text = stored.get(writer.board.provider.roomname)!;
        // Every client converged on exactly what PostgreSQL holds.
        await eventually(
          () => notesOf(writer.board.doc, writer.itemId)!.toString() === text,
          20_000,
          'the client to equal the stored board',
        );
        for (const marker of writer.written) {
          const count = text.split(marker).length - 1;
          expect(count, `${marker} appears once`).toBe(1);
        }
      }
    },
    90_000 + KILLS * 20_000,
  );
});
