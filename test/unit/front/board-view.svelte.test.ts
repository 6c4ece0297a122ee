// The room's binding of the Y.Doc to Svelte (src/lib/board/board-view.ts): each reader is told about changes to
// what it reads and nothing else, no Yjs observer stays behind its last reader, and reads outside any effect see
// the board as it is. Runs the Svelte client runtime's real effects (hence the .svelte in the file name).
import { flushSync, tick } from 'svelte';
import { describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  castVote,
  draftDecision,
  moveItem,
  notesOf,
  setCurrentItem,
  setItemFields,
  startTimer,
} from '../../../server/domain/board.ts';
import { BoardView } from '../../../src/lib/board/board-view.ts';

function board() {
  const doc = new Y.Doc();
  addItem(doc, { id: 'a', kind: 'free', title: 'Fuel costs' });
  addItem(doc, { id: 'b', kind: 'free', title: 'Scanner rollout' });
  return { doc, view: new BoardView(doc) };
}

/** Runs `read` in an effect and counts how often it ran; `stop` ends the effect. */
function reader(read: () => unknown) {
  const seen: unknown[] = [];
  const stop = $effect.root(() => {
    $effect(() => {
      seen.push(read());
    });
  });
  flushSync();
  return { seen, stop };
}

describe('BoardView', () => {
  test('a change to one item notifies the readers of that item only', () => {
    const { doc, view } = board();
    const titleA = reader(() => view.item('a')?.title);
    const titleB = reader(() => view.item('b')?.title);
    const votesB = reader(() => view.item('b')?.voteTotal);
    const decisionsA = reader(() => view.item('a')?.decisions.length);
    const order = reader(() => view.agenda.map((item) => item.id).join());
    const room = reader(() => view.room.currentItemId);

    // Typing in a's notes, character by character: none of these readers reads the notes.
    for (const char of 'Slipped two weeks') notesOf(doc, 'a')!.insert(notesOf(doc, 'a')!.length, char);
    flushSync();
    for (const probe of [titleA, titleB, votesB, decisionsA, order, room]) expect(probe.seen).toHaveLength(1);

    setItemFields(doc, 'a', { title: 'Fleet fuel costs' });
    flushSync();
    expect(titleA.seen).toEqual(['Fuel costs', 'Fleet fuel costs']);
    expect(titleB.seen).toEqual(['Scanner rollout']);

    castVote(doc, 'b', 'user-1', 1);
    flushSync();
    expect(votesB.seen).toEqual([0, 1]);
    expect(titleB.seen).toHaveLength(1);
    expect(decisionsA.seen).toHaveLength(1);

    draftDecision(doc, 'a', { id: 'd1', title: '', ownerId: null, dueDate: null, createdBy: 'user-1' }, 0);
    flushSync();
    expect(decisionsA.seen).toEqual([0, 1]);
    expect(votesB.seen).toHaveLength(2);
    expect(order.seen).toHaveLength(1);

    moveItem(doc, 'b', 0);
    flushSync();
    expect(order.seen).toEqual(['a,b', 'b,a']);
    expect(room.seen).toHaveLength(1);

    // The room's fields are apart too: the timer is not where the room is.
    startTimer(doc, 'a', 1_000);
    flushSync();
    expect(room.seen).toHaveLength(1);
    setCurrentItem(doc, 'b');
    flushSync();
    expect(room.seen).toEqual([null, 'b']);

    for (const probe of [titleA, titleB, votesB, decisionsA, order, room]) probe.stop();
  });

  test('reads outside any effect return the board as it is now', () => {
    const { doc, view } = board();
    const a = view.item('a')!;
    expect(a.title).toBe('Fuel costs');
    setItemFields(doc, 'a', { title: 'Fleet fuel costs' });
    castVote(doc, 'a', 'user-1', 1);
    moveItem(doc, 'b', 0);
    setCurrentItem(doc, 'b');
    expect(a.title).toBe('Fleet fuel costs');
    expect(a.votes).toEqual({ 'user-1': 1 });
    expect(view.agenda.map((item) => item.id)).toEqual(['b', 'a']);
    expect(view.room.currentItemId).toBe('b');
    // The same item reads through the same view object, so keyed lists keep their rows.
    expect(view.agenda[1]).toBe(a);
  });

  test('observes the doc only while some effect reads it', async () => {
    const { view } = board();
    const observe = vi.spyOn(Y.AbstractType.prototype, 'observeDeep');
    const unobserve = vi.spyOn(Y.AbstractType.prototype, 'unobserveDeep');
    const order = reader(() => view.agenda.length);
    const title = reader(() => view.item('a')?.title);
    const sameTitle = reader(() => view.item('a')?.title);
    // One observer for the agenda's order, one for item a's fields, shared by both of its readers.
    expect(observe).toHaveBeenCalledTimes(2);
    title.stop();
    await tick();
    expect(unobserve).not.toHaveBeenCalled();
    // createSubscriber lets go of a source a microtask after its last reader.
    sameTitle.stop();
    await tick();
    expect(unobserve).toHaveBeenCalledTimes(1);
    order.stop();
    await tick();
    expect(unobserve).toHaveBeenCalledTimes(2);
    vi.restoreAllMocks();
  });
});
