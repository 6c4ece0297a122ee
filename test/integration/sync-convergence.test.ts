// Randomized convergence through the real server: clients edit notes, move items and vote while dropping off
// and coming back at random; for many seeds every client and a reload from PostgreSQL end identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { castVote, moveItem, notesOf, readAgenda } from '../../server/domain/board.ts';
import { reviewFixture } from '../support/reviews.ts';
import { createReview } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';
import { seededRandom } from '../../db/seed/demo-history.ts';

const SEEDS = Number(process.env.CONVERGENCE_SEEDS ?? 6);
const CLIENTS = 4;
const STEPS = 60;

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
});
afterAll(() => server?.stop());

/** The board as canonical JSON: keys sorted, since map entries reach replicas in different orders. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, entry]) => [key, canonical(entry)]),
        )
      : value;
const view = (board: BoardClient) => JSON.stringify(canonical(readAgenda(board.doc)));

describe('randomized convergence', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`converges with random edits, disconnects and reconnects (seed ${seed})`, async () => {
      const next = seededRandom(seed);
      const { metrics } = (await fixture.facilitator.client.get(`/api/orgs/${fixture.org.id}/metrics`)).body;
      const review = await createReview(fixture.facilitator.client, fixture.org.id, {
        title: `Convergence ${seed}`,
        metricIds: metrics.map((m: { id: string }) => m.id),
      });
      const boards = Array.from({ length: CLIENTS }, () =>
        connectBoard(server.origin, fixture.facilitator.client, review.id),
      );
      await Promise.all(boards.map((board) => board.synced));
      for (let step = 0; step < STEPS; step++) {
        const board = boards[Math.floor(next() * boards.length)]!;
        const agenda = readAgenda(board.doc);
        const item = agenda[Math.floor(next() * agenda.length)]!;
        const roll = next();
        if (roll < 0.1) {
          if (board.provider.wsconnected) board.provider.disconnect();
          else board.provider.connect();
        } else if (roll < 0.6) {
          const notes = notesOf(board.doc, item.id)!;
          notes.insert(Math.floor(next() * (notes.length + 1)), `s${seed}c${boards.indexOf(board)}#${step} `);
        } else if (roll < 0.75) {
          const notes = notesOf(board.doc, item.id)!;
          if (notes.length > 3) notes.delete(Math.floor(next() * (notes.length - 3)), 3);
        } else if (roll < 0.9) {
          moveItem(board.doc, item.id, Math.floor(next() * agenda.length));
        } else {
          castVote(board.doc, item.id, `voter-${boards.indexOf(board)}`, next() < 0.7 ? 1 : -1);
        }
        if (next() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 30)));
      }
      for (const board of boards) if (!board.provider.wsconnected) board.provider.connect();
      await eventually(
        () => boards.every((board) => board.provider.wsconnected && view(board) === view(boards[0]!)),
        15_000,
        'every client to converge',
      );
      await Promise.all(boards.map((board) => board.commits.whenCovered()));
      const converged = view(boards[0]!);
      for (const board of boards) board.destroy();
      await eventually(() => !server.rooms.loaded.has(review.id), 10_000, 'the room to unload');
      const reloaded = connectBoard(server.origin, fixture.facilitator.client, review.id);
      await reloaded.synced;
      expect(view(reloaded)).toBe(converged);
      reloaded.destroy();
    });
  }
});
