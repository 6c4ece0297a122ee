import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initializeBoard, notesOf, readAgenda, readRoom, setCurrentItem } from '../../../../server/domain/board.ts';
import {
  countAt,
  markersOf,
  openingMoment,
  presentAt,
  silenceSkipper,
  stateFrom,
  viewsFrom,
  type ReplayEvent,
  type TimedUpdate,
} from '../../../../server/domain/replay.ts';

/** A random editing session: several clients typing into one text and setting map keys, logged in order. */
function session(ops: { client: number; text: string; key: string; gap: number }[]): TimedUpdate[] {
  const docs = [0, 1, 2].map((client) => {
    const doc = new Y.Doc();
    doc.clientID = client + 1;
    return doc;
  });
  const log: TimedUpdate[] = [];
  let at = 1_000;
  for (const op of ops) {
    const doc = docs[op.client]!;
    // Each client sees everything logged so far before it edits (as through the server).
    for (const entry of log) Y.applyUpdate(doc, entry.update);
    let captured: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (captured = update);
    doc.on('update', capture);
    doc.transact(() => {
      const text = doc.getText('notes');
      text.insert(Math.min(text.length, op.text.length), op.text);
      doc.getMap('room').set(op.key, op.text);
    });
    doc.off('update', capture);
    at += op.gap;
    if (captured) log.push({ seq: log.length + 1, at, update: captured });
  }
  return log;
}

const opArbitrary = fc.record({
  client: fc.integer({ min: 0, max: 2 }),
  text: fc.string({ minLength: 1, maxLength: 5 }),
  key: fc.constantFrom('a', 'b', 'c'),
  gap: fc.integer({ min: 0, max: 5_000 }),
});

const snapshotOf = (doc: Y.Doc) => ({
  notes: doc.getText('notes').toString(),
  room: doc.getMap('room').toJSON(),
});
const read = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return snapshotOf(doc);
};

describe('the board at time t', () => {
  it('equals applying every update logged up to t, for any t', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 25 }), fc.double({ min: 0, max: 1 }), (ops, f) => {
        const log = session(ops);
        const t = 1_000 + f * (log.at(-1)!.at - 1_000 + 10);
        const n = countAt(log, t);
        const expected = new Y.Doc();
        for (const entry of log) if (entry.at <= t) Y.applyUpdate(expected, entry.update);
        expect(
          read(
            stateFrom(
              null,
              log.slice(0, n).map((e) => e.update),
            ),
          ),
        ).toEqual(snapshotOf(expected));
      }),
      { numRuns: 60 },
    );
  });

  it('is the same from a snapshot plus the tail as from the whole log', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 2, maxLength: 25 }), fc.double({ min: 0, max: 1 }), (ops, f) => {
        const log = session(ops);
        const cut = Math.floor(f * log.length);
        const snapshot = stateFrom(
          null,
          log.slice(0, cut).map((e) => e.update),
        );
        const fromSnapshot = stateFrom(
          snapshot,
          log.slice(cut).map((e) => e.update),
        );
        expect(read(fromSnapshot)).toEqual(
          read(
            stateFrom(
              null,
              log.map((e) => e.update),
            ),
          ),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('counts updates at t by binary search', () => {
    const log = [{ at: 1 }, { at: 2 }, { at: 2 }, { at: 5 }];
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => countAt(log, t))).toEqual([0, 1, 3, 3, 3, 4, 4]);
  });
});

const event = (id: number, kind: string, at: number, actorId: string | null, data = {}): ReplayEvent => ({
  id: String(id),
  kind,
  at,
  actorId,
  data,
});

describe('who was there and what happened', () => {
  const events = [
    event(1, 'review.started', 0, 'maya'),
    event(2, 'room.joined', 1, 'maya'),
    event(3, 'room.joined', 2, 'priya'),
    event(4, 'triage.pivoted', 3, null, { why: 'Fuel 18% behind plan', itemId: 'i1' }),
    event(5, 'room.left', 4, 'priya'),
    event(6, 'action.recorded', 5, 'maya', { title: 'Eco-driving pilot', ownerId: 'priya', itemId: 'i1' }),
    event(7, 'action.committed', 6, 'priya', { itemId: 'i1' }),
  ];
  const names: Record<string, string> = { maya: 'Maya', priya: 'Priya' };
  const nameOf = (id: string | null) => (id ? (names[id] ?? 'someone') : 'Lastmile');

  it('knows who was in the room at any moment', () => {
    expect(presentAt(events, 0)).toEqual([]);
    expect(presentAt(events, 2)).toEqual(['maya', 'priya']);
    expect(presentAt(events, 4.5)).toEqual(['maya']);
  });

  it('marks pivots, decisions, commitments and phases', () => {
    expect(markersOf(events, nameOf).map((m) => [m.kind, m.label, m.itemId])).toEqual([
      ['phase', 'Review started', null],
      ['pivot', 'Pivot: Fuel 18% behind plan', 'i1'],
      ['decision', 'Decision: Eco-driving pilot (owner Priya)', 'i1'],
      ['commitment', 'Priya committed', 'i1'],
    ]);
  });
});

describe('skip silence', () => {
  it('shortens every pause to the longest allowed and maps back', () => {
    const skipper = silenceSkipper([0, 1_000, 61_000, 62_000], 5_000);
    expect(skipper.toPlayback(0)).toBe(0);
    expect(skipper.toPlayback(1_000)).toBe(1_000);
    expect(skipper.toPlayback(30_000)).toBe(6_000);
    expect(skipper.toPlayback(61_000)).toBe(6_000);
    expect(skipper.toPlayback(62_000)).toBe(7_000);
    expect(skipper.toReal(6_000)).toBe(61_000);
    expect(skipper.toReal(500)).toBe(500);
  });

  it('never runs backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 10_000 }),
        (moments, gap) => {
          const skipper = silenceSkipper(moments, gap);
          const max = Math.max(...moments);
          let previous = -1;
          for (let t = 0; t <= max; t += Math.ceil(max / 50) || 1) {
            const p = skipper.toPlayback(t);
            expect(p).toBeGreaterThanOrEqual(previous);
            previous = p;
          }
        },
      ),
    );
  });
});

describe('the replay opening', () => {
  const span = { start: 10_000, end: 70_000 };

  it('opens at the moment asked for, inside the review, else at its start', () => {
    expect(openingMoment(null, span)).toBe(10_000);
    expect(openingMoment(Number.NaN, span)).toBe(10_000);
    expect(openingMoment(30_000.4, span)).toBe(30_000);
    expect(openingMoment(5, span)).toBe(10_000);
    expect(openingMoment(99_999_999, span)).toBe(70_000);
  });

  it('reads the board from a base and the updates after it as a fresh board would', () => {
    const doc = new Y.Doc();
    const log: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => log.push(update));
    initializeBoard(
      doc,
      ['Fuel', 'Drivers', 'Scanners'].map((title) => ({
        id: crypto.randomUUID(),
        kind: 'status-update' as const,
        title,
        presenterId: null,
      })),
      { facilitatorId: null },
    );
    const [first, second] = readAgenda(doc);
    notesOf(doc, first!.id)!.insert(0, 'ahead of plan');
    setCurrentItem(doc, second!.id);
    notesOf(doc, second!.id)!.insert(0, 'waiting for devices');
    for (const cut of [0, 1, log.length - 1, log.length]) {
      const views = viewsFrom(cut > 0 ? stateFrom(null, log.slice(0, cut)) : null, log.slice(cut));
      expect(views).toEqual({ agenda: readAgenda(doc), room: readRoom(doc) });
    }
    expect(viewsFrom(null, [])).toEqual({ agenda: [], room: readRoom(new Y.Doc()) });
  });
});
