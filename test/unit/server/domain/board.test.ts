import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitmentsCheck,
  addItem,
  orderCommitments,
  updateCommitment,
  type CommitmentEntry,
  castVote,
  draftDecision,
  editDecision,
  removeDecision,
  generateAgenda,
  initializeBoard,
  itemsOf,
  moveItem,
  notesOf,
  orderBetween,
  pauseTimer,
  readAgenda,
  readRoom,
  removeItem,
  resumeTimer,
  setCurrentItem,
  setFollow,
  startTimer,
  timerElapsedMs,
  votesUsed,
  type AgendaSeed,
  type ScopeEntry,
} from '../../../../server/domain/board.ts';

let counter = 0;
const newId = () => `id-${++counter}`;

function board(titles: string[]): Y.Doc {
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    titles.map((title, index): AgendaSeed => ({ id: `item-${index}`, kind: 'status-update', title })),
  );
  return doc;
}

const titles = (doc: Y.Doc) => readAgenda(doc).map((item) => item.title);

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('generateAgenda', () => {
  const entry = (title: string, status: ScopeEntry['status']): ScopeEntry => ({
    id: title,
    title,
    status,
    ownerId: `owner-of-${title}`,
  });

  it('puts off track first, then at risk, no data, on track; metrics before initiatives; then by title', () => {
    const agenda = generateAgenda(
      {
        metrics: [entry('m on', 'on track'), entry('m off', 'off track'), entry('m none', 'no data')],
        initiatives: [entry('i risk', 'at risk'), entry('i off', 'off track'), entry('a on', 'on track')],
      },
      newId,
    );
    expect(agenda.map((item) => item.title)).toEqual(['m off', 'i off', 'i risk', 'm none', 'm on', 'a on']);
    expect(agenda[0]).toMatchObject({ kind: 'status-update', metricId: 'm off', initiativeId: null });
    expect(agenda[1]).toMatchObject({ metricId: null, initiativeId: 'i off', presenterId: 'owner-of-i off' });
  });

  it('puts a stale metric after at risk and before no data: old numbers need a look, not a pivot', () => {
    const agenda = generateAgenda(
      {
        metrics: [entry('m none', 'no data'), entry('m stale', 'stale'), entry('m on', 'on track')],
        initiatives: [entry('i risk', 'at risk'), entry('i stale', 'stale')],
      },
      newId,
    );
    expect(agenda.map((item) => item.title)).toEqual(['i risk', 'm stale', 'i stale', 'm none', 'm on']);
  });

  it('gives an empty scope an empty agenda and no current item', () => {
    const doc = new Y.Doc();
    initializeBoard(doc, generateAgenda({ metrics: [], initiatives: [] }, newId));
    expect(readAgenda(doc)).toEqual([]);
    expect(readRoom(doc)).toMatchObject({ currentItemId: null, phase: 'check-in', votesPerPerson: 3 });
  });
});

describe('agenda order', () => {
  it('places an order strictly between its neighbours', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        (a, gap) => {
          const between = orderBetween(a, a + gap);
          return between > a && between < a + gap;
        },
      ),
    );
    expect(orderBetween(undefined, undefined)).toBe(1);
    expect(orderBetween(undefined, 3)).toBeLessThan(3);
    expect(orderBetween(3, undefined)).toBeGreaterThan(3);
  });

  it('moves an item to any position, keeping the others in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (from, to) => {
        const doc = board(['a', 'b', 'c', 'd', 'e']);
        const moved = titles(doc)[from]!;
        moveItem(doc, `item-${from}`, to);
        const expected = ['a', 'b', 'c', 'd', 'e'].filter((title) => title !== moved);
        expected.splice(to, 0, moved);
        expect(titles(doc)).toEqual(expected);
      }),
    );
  });

  it('keeps moving items into the same spot correctly after the gap runs out of precision', () => {
    const doc = board(['a', 'b', 'c']);
    for (let round = 0; round < 200; round++) {
      const last = readAgenda(doc).at(-1)!;
      moveItem(doc, last.id, 1);
      const agenda = readAgenda(doc);
      expect(agenda[1]!.id).toBe(last.id);
      expect(new Set(agenda.map((item) => item.order)).size).toBe(agenda.length);
    }
  });

  it('keeps notes typed concurrently with a move by someone else', () => {
    const a = board(['first', 'second', 'third']);
    const b = new Y.Doc();
    sync(a, b);
    moveItem(a, 'item-2', 0);
    notesOf(b, 'item-2')!.insert(0, 'typed while it moved');
    sync(a, b);
    expect(titles(a)).toEqual(['third', 'first', 'second']);
    expect(titles(b)).toEqual(titles(a));
    expect(notesOf(a, 'item-2')!.toString()).toBe('typed while it moved');
  });

  it('adds after an item or at the end, and removing the current item moves the room on', () => {
    const doc = board(['a', 'b']);
    addItem(doc, { id: 'x', kind: 'free', title: 'x' }, 'item-0');
    addItem(doc, { id: 'y', kind: 'free', title: 'y' });
    expect(titles(doc)).toEqual(['a', 'x', 'b', 'y']);
    removeItem(doc, 'item-0');
    expect(readRoom(doc).currentItemId).toBe('x');
  });

  it('skips entries that do not fit the schema instead of failing', () => {
    const doc = board(['a']);
    itemsOf(doc).set('junk', new Y.Map());
    (doc.getMap('items') as Y.Map<unknown>).set('text', 'not a map');
    expect(titles(doc)).toEqual(['a']);
  });
});

describe('room state', () => {
  it('follows the facilitator to the current item', () => {
    const doc = board(['a', 'b']);
    setFollow(doc, { itemId: 'item-0', by: 'fran' });
    setCurrentItem(doc, 'item-1');
    expect(readRoom(doc)).toMatchObject({ currentItemId: 'item-1', follow: { itemId: 'item-1', by: 'fran' } });
    setCurrentItem(doc, 'missing');
    expect(readRoom(doc).currentItemId).toBe('item-1');
  });

  it('times an item across pauses', () => {
    const doc = board(['a']);
    startTimer(doc, 'item-0', 1_000);
    expect(timerElapsedMs(readRoom(doc).timer!, 4_000)).toBe(3_000);
    pauseTimer(doc, 4_000);
    expect(timerElapsedMs(readRoom(doc).timer!, 60_000)).toBe(3_000);
    resumeTimer(doc, 10_000);
    expect(timerElapsedMs(readRoom(doc).timer!, 12_500)).toBe(5_500);
    expect(readRoom(doc).timer).toMatchObject({ itemId: 'item-0', running: true });
  });
});

describe('dot-voting', () => {
  it('gives each person the configured number of votes, and takes them back', () => {
    const doc = board(['a', 'b']);
    expect(castVote(doc, 'item-0', 'u1', 1)).toBe(true);
    expect(castVote(doc, 'item-0', 'u1', 1)).toBe(true);
    expect(castVote(doc, 'item-1', 'u1', 1)).toBe(true);
    expect(castVote(doc, 'item-1', 'u1', 1)).toBe(false);
    expect(castVote(doc, 'item-1', 'u2', 1)).toBe(true);
    expect(votesUsed(readAgenda(doc), 'u1')).toBe(3);
    expect(readAgenda(doc).map((item) => item.voteTotal)).toEqual([2, 2]);
    expect(castVote(doc, 'item-0', 'u1', -1)).toBe(true);
    expect(castVote(doc, 'item-0', 'u2', -1)).toBe(false);
    expect(readAgenda(doc)[0]!.votes).toEqual({ u1: 1 });
  });
});

describe('draft decisions', () => {
  it('keeps concurrent edits of different fields of one draft', () => {
    const a = board(['a']);
    expect(
      draftDecision(
        a,
        'item-0',
        { id: 'd1', title: 'Pilot eco-driving in North', ownerId: null, dueDate: null, createdBy: 'u1' },
        5,
      ),
    ).toBe(true);
    const b = new Y.Doc();
    sync(a, b);
    editDecision(a, 'item-0', 'd1', { ownerId: 'u2' });
    editDecision(b, 'item-0', 'd1', { dueDate: '2026-12-15' });
    sync(a, b);
    expect(readAgenda(a)[0]!.decisions).toEqual([
      {
        id: 'd1',
        title: 'Pilot eco-driving in North',
        ownerId: 'u2',
        dueDate: '2026-12-15',
        createdBy: 'u1',
        metricId: null,
        initiativeId: null,
        expectedMaxSlip: null,
        expectedBy: null,
        actionItemId: null,
        status: null,
        proposedDueDate: null,
        committedAt: null,
        verification: null,
      },
    ]);
    expect(readAgenda(b)[0]!.decisions).toEqual(readAgenda(a)[0]!.decisions);
    removeDecision(b, 'item-0', 'd1');
    expect(readAgenda(b)[0]!.decisions).toEqual([]);
    expect(
      draftDecision(a, 'missing', { id: 'd2', title: 'x', ownerId: null, dueDate: null, createdBy: 'u1' }, 5),
    ).toBe(false);
  });
});

describe('the commitments check', () => {
  const entry = (id: string, dueDate: string, overdue = false): CommitmentEntry => ({
    id,
    title: `Item ${id}`,
    ownerId: 'u1',
    ownerName: 'Sofia',
    dueDate,
    status: 'committed',
    overdue,
    verification: null,
    reviewTitle: 'Last week',
  });

  it('orders overdue first, then by due date', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ overdue: fc.boolean(), day: fc.integer({ min: 1, max: 28 }) }), { maxLength: 12 }),
        (specs) => {
          const entries = specs.map((spec, index) =>
            entry(`e${index}`, `2026-12-${String(spec.day).padStart(2, '0')}`, spec.overdue),
          );
          const ordered = orderCommitments(entries);
          for (let i = 1; i < ordered.length; i++) {
            const [a, b] = [ordered[i - 1]!, ordered[i]!];
            expect(Number(a.overdue) >= Number(b.overdue)).toBe(true);
            if (a.overdue === b.overdue) expect(a.dueDate <= b.dueDate).toBe(true);
          }
        },
      ),
    );
  });

  it('is added once, at the end of the agenda, and shows updates of the items it lists', () => {
    const doc = board(['Fuel', 'Scanners']);
    expect(addCommitmentsCheck(doc, [entry('a', '2026-12-10'), entry('b', '2026-12-01', true)], 'check')).toBe(true);
    expect(addCommitmentsCheck(doc, [entry('c', '2026-12-10')], 'check-2')).toBe(false);
    const agenda = readAgenda(doc);
    expect(agenda.map((item) => item.kind)).toEqual(['status-update', 'status-update', 'commitments-check']);
    expect(agenda[2]!.commitments.map((e) => e.id)).toEqual(['b', 'a']);

    expect(updateCommitment(doc, { ...entry('a', '2026-12-10'), status: 'done' })).toBe(true);
    expect(updateCommitment(doc, entry('zzz', '2026-12-10'))).toBe(false);
    expect(readAgenda(doc)[2]!.commitments.find((e) => e.id === 'a')).toMatchObject({
      status: 'done',
      reviewTitle: 'Last week',
    });
  });

  it('survives two servers adding it concurrently as two items only if they never saw each other', () => {
    const a = board(['Fuel']);
    const b = new Y.Doc();
    sync(a, b);
    addCommitmentsCheck(a, [entry('x', '2026-12-10')], 'check-a');
    sync(a, b);
    expect(addCommitmentsCheck(b, [entry('x', '2026-12-10')], 'check-b')).toBe(false);
    expect(readAgenda(b).filter((item) => item.kind === 'commitments-check')).toHaveLength(1);
  });
});
