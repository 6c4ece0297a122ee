// A database outage in the middle of a review: the room keeps working in memory, no edit is acknowledged
// before it is committed, the process stays up and answers, and once PostgreSQL is back the backlog is written
// and acknowledged; a restarted server loads every edit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { createReview } from '../support/reviews.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function stopProcess(started: StartedProcess) {
  if (started.child.exitCode !== null) return;
  started.child.kill('SIGTERM');
  await started.exited;
}

describe('a database outage during a review', () => {
  it('acknowledges nothing uncommitted, stays up, and flushes the backlog when PostgreSQL returns', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-outage-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const pgPort = await findFreePort();
    let database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port: pgPort });
    cleanups.push(() => database.stop());

    const port = await findFreePort();
    const origin = `http://localhost:${port}`;
    const env = { PORT: String(port), PUBLIC_URL: origin, DATABASE_URL: database.url, SEED_DEMO: 'false' };
    let server = startProcess(env);
    cleanups.push(() => stopProcess(server));
    await waitForOutput(server, 'Press Ctrl+C to stop.');

    const { client, user } = await signUp(origin, 'Olga Outage');
    const org = await createOrganization(client, 'Outage Org');
    const metric = await createMetric(client, org.id, user.id);
    const review = await createReview(client, org.id, { metricIds: [metric.id] });
    const boards: BoardClient[] = [];
    cleanups.push(() => boards.forEach((board) => board.destroy()));
    const writer = connectBoard(origin, client, review.id);
    const reader = connectBoard(origin, client, review.id);
    boards.push(writer, reader);
    await Promise.all([writer.synced, reader.synced]);
    const itemId = readAgenda(writer.doc)[0]!.id;
    const notes = (board: BoardClient) => notesOf(board.doc, itemId)!.toString();
    notesOf(writer.doc, itemId)!.insert(0, 'BEFORE ');
    await writer.commits.whenCovered();

    await database.stop();
    notesOf(writer.doc, itemId)!.insert(0, 'DURING-1 ');
    await new Promise((resolve) => setTimeout(resolve, 300));
    notesOf(writer.doc, itemId)!.insert(0, 'DURING-2 ');
    // The room keeps working in memory: the other client sees the edits live.
    await eventually(() => notes(reader).includes('DURING-2'), 5_000, 'the edits to reach the other client');
    // The positive signal first: the server has noticed the database is gone (its health says so); only then is the
    // missing acknowledgement evidence of anything.
    await eventually(async () => (await fetch(`${origin}/healthz`)).status === 503, 10_000, 'health to report 503');
    expect(writer.commits.covered).toBe(false);
    expect(server.child.exitCode).toBeNull();

    database = await startEmbeddedPostgres({ dataDir, port: pgPort });
    await eventually(() => writer.commits.covered, 60_000, 'the backlog to be committed and acknowledged');
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    // A fresh server loads everything from PostgreSQL alone.
    for (const board of boards.splice(0)) board.destroy();
    await stopProcess(server);
    server = startProcess(env);
    await waitForOutput(server, 'Press Ctrl+C to stop.');
    const fresh = connectBoard(origin, client, review.id);
    boards.push(fresh);
    await fresh.synced;
    const stored = notes(fresh);
    for (const marker of ['BEFORE', 'DURING-1', 'DURING-2']) expect(stored).toContain(marker);
    expect(stored.match(/DURING-2/g)).toHaveLength(1);
  });
});
