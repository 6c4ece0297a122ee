import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  castVote,
  initializeBoard,
  moveItem,
  notesOf,
  readAgenda,
  readRoom,
  setCurrentItem,
} from '../../../server/domain/board.ts';
import { stateFrom } from '../../../server/domain/replay.ts';
import { ScriptedBoard, seededRandom } from '../../../db/seed/demo-history.ts';
import { ReplayEngine, frameOfState } from '../../../src/lib/replay/engine.ts';

/** Three people typing, voting and reordering on their own copies of a four-item board, logged in order. */
function editingSession(seed: number, length: number): Uint8Array[] {
  const random = seededRandom(seed);
  const people = ['u1', 'u2', 'u3'];
  const initial = new Y.Doc();
  initializeBoard(
    initial,
    ['Fuel', 'Latency', 'Scanners', 'Retention'].map((title, index) => ({
      id: `item-${index}`,
      kind: 'status-update' as const,
      title,
    })),
  );
  const board = new ScriptedBoard(initial, new Date(0));
  let at = 0;
  while (board.log.length < length) {
    at += 100;
    const person = people[Math.floor(random() * people.length)]!;
    const itemId = `item-${Math.floor(random() * 4)}`;
    const roll = random();
    board.act(person, new Date(at), (doc) => {
      if (roll < 0.1) castVote(doc, itemId, person, 1);
      else if (roll < 0.15) moveItem(doc, itemId, Math.floor(random() * 4));
      else if (roll < 0.2) setCurrentItem(doc, itemId);
      else {
        const notes = notesOf(doc, itemId)!;
        notes.insert(Math.floor(random() * (notes.length + 1)), 'abcdefgh '[Math.floor(random() * 9)]!);
      }
    });
  }
  const log = board.log.map((entry) => entry.update);
  board.destroy();
  return log;
}

function boardAfter(updates: Uint8Array[], count: number) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stateFrom(null, updates.slice(0, count)));
  const view = { agenda: readAgenda(doc), room: readRoom(doc) };
  doc.destroy();
  return view;
}

describe('the replay engine', () => {
  const log = editingSession(7, 400);

  it('shows, for any point in any order, the board that every update up to it makes', () => {
    const engine = new ReplayEngine({ checkpointEvery: 37 });
    // Streamed in uneven pages, as the downloads arrive.
    for (let start = 0; start < log.length; start += 91) engine.ingest(log.slice(start, start + 91));
    const random = seededRandom(11);
    const points = [
      0,
      1,
      log.length,
      log.length - 1,
      ...Array.from({ length: 40 }, () => Math.floor(random() * (log.length + 1))),
    ];
    for (const count of points) {
      const frame = engine.seek(count);
      expect(frame.count).toBe(count);
      expect({ agenda: frame.agenda, room: frame.room }).toEqual(boardAfter(log, count));
    }
    engine.destroy();
  });

  it('plays forward from where it is without going back to a checkpoint', () => {
    const engine = new ReplayEngine({ checkpointEvery: 500 });
    engine.ingest(log);
    for (let count = 0; count <= log.length; count += 23) {
      expect(engine.seek(count).agenda).toEqual(boardAfter(log, count).agenda);
    }
    engine.destroy();
  });

  it('keeps a checkpoint every n updates, and sooner when applying takes longer than its budget', () => {
    const counted = new ReplayEngine({ checkpointEvery: 100 });
    counted.ingest(log);
    expect(counted.checkpoints).toEqual([0, 100, 200, 300, 400]);

    let clock = 0;
    // The clock moves 1.5 ms per reading, once per update: a 10 ms budget checkpoints every 7 updates.
    const timed = new ReplayEngine({ checkpointEvery: 500, checkpointBudgetMs: 10, now: () => (clock += 1.5) });
    timed.ingest(log.slice(0, 40));
    const checkpoints = timed.checkpoints;
    expect(checkpoints.length).toBeGreaterThan(5);
    for (let index = 1; index < checkpoints.length; index++)
      expect(checkpoints[index]! - checkpoints[index - 1]!).toBeLessThanOrEqual(7);
    expect(timed.seek(17).agenda).toEqual(boardAfter(log, 17).agenda);
    counted.destroy();
    timed.destroy();
  });

  it('clamps a seek past what has arrived to the last update received', () => {
    const engine = new ReplayEngine();
    engine.ingest(log.slice(0, 50));
    expect(engine.seek(10_000).count).toBe(50);
    expect(engine.seek(-3).count).toBe(0);
    engine.destroy();
  });

  it('reads a board the server rebuilt the same as the log up to it', () => {
    const frame = frameOfState(stateFrom(null, log.slice(0, 250)));
    expect(frame.count).toBeNull();
    expect({ agenda: frame.agenda, room: frame.room }).toEqual(boardAfter(log, 250));
  });
});
