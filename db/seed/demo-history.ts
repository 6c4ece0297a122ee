// A scripted board history for the demo's past review: each person edits their own copy of the board, as their
// browser would, and every edit is logged with its author and time, so replay shows people typing, the agenda
// pivoting and decisions being recorded. Deterministic (seeded), so the demo is the same on every machine.
import * as Y from 'yjs';
import type { Db } from '../../server/db/connect.ts';
import { appendBoardUpdates, type LoggedUpdate } from '../../server/store/board-log.ts';

/** A small seeded random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class ScriptedBoard {
  readonly log: LoggedUpdate[] = [];
  /** The server's copy: everything logged so far. */
  readonly server = new Y.Doc();
  readonly #copies = new Map<string, { doc: Y.Doc; seen: number }>();

  constructor(initial: Y.Doc, at: Date) {
    const update = Y.encodeStateAsUpdate(initial);
    Y.applyUpdate(this.server, update);
    this.log.push({ update, authorId: null, at });
  }

  /** One edit by one person (null: the server), logged at `at` if it changed anything. */
  act(authorId: string | null, at: Date, edit: (doc: Y.Doc) => void): void {
    const key = authorId ?? 'server';
    let copy = this.#copies.get(key);
    if (!copy) {
      copy = { doc: new Y.Doc(), seen: 0 };
      this.#copies.set(key, copy);
    }
    // Catch up with everything the server has, as a synced client would have.
    for (; copy.seen < this.log.length; copy.seen++) Y.applyUpdate(copy.doc, this.log[copy.seen]!.update);
    let captured: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (captured = update);
    copy.doc.on('update', capture);
    copy.doc.transact(() => edit(copy.doc));
    copy.doc.off('update', capture);
    if (!captured) return;
    Y.applyUpdate(this.server, captured);
    // The server commits in order: a logged time never runs backwards.
    const last = this.log.at(-1)!.at;
    this.log.push({ update: captured, authorId, at: at < last ? last : at });
    copy.seen = this.log.length;
  }

  /** Stores the log like the live server does: in order, with a snapshot every `snapshotEvery` updates. */
  async store(tx: Db, reviewId: string, snapshotEvery = 500): Promise<void> {
    const replica = new Y.Doc();
    for (let start = 0; start < this.log.length; start += snapshotEvery) {
      const chunk = this.log.slice(start, start + snapshotEvery);
      for (const entry of chunk) Y.applyUpdate(replica, entry.update);
      const full = chunk.length === snapshotEvery;
      await appendBoardUpdates(tx, reviewId, chunk, full ? Y.encodeStateAsUpdate(replica) : undefined);
    }
    replica.destroy();
  }

  destroy(): void {
    this.server.destroy();
    for (const { doc } of this.#copies.values()) doc.destroy();
  }
}

/**
 * Types `text` word by word into a Y.Text found by `target`, starting at `start`, one logged update per word;
 * resolves with the time after the last word.
 */
export function typeWords(
  board: ScriptedBoard,
  authorId: string,
  start: Date,
  text: string,
  target: (doc: Y.Doc) => Y.Text | null,
  random: () => number,
  /** Where typing starts (default: the end); e.g. right after a template's heading. */
  startAt?: (notes: string) => number,
): Date {
  let at = start.getTime();
  const words = text.split(/(?<= )/);
  let position: number | null = null;
  for (const word of words) {
    at += 350 + Math.floor(random() * 1_200);
    board.act(authorId, new Date(at), (doc) => {
      const notes = target(doc);
      if (!notes) return;
      position ??= startAt ? startAt(notes.toString()) : notes.length;
      notes.insert(position, word);
      position += word.length;
    });
  }
  return new Date(at);
}
