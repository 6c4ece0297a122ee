// The replay engine: holds a review's board updates as they stream in, keeps an encoded checkpoint every ~500
// updates (or every few milliseconds of applying, whichever comes first), and answers "the board after n updates"
// from the nearest checkpoint at or before n plus at most the updates since it. Plain Yjs and no DOM: it runs in
// the replay worker and is tested in Node.
import * as Y from 'yjs';
import { readAgenda, readRoom, type AgendaItemView, type RoomView } from '../../../server/domain/board.ts';

export interface BoardFrame {
  /** How many updates of the log are in this board; null for a board rebuilt by the server. */
  count: number | null;
  agenda: AgendaItemView[];
  room: RoomView;
}

export interface EngineOptions {
  /** A checkpoint at least every this many updates. */
  checkpointEvery?: number;
  /** …and as soon as applying the updates since the last one took this long (large updates). */
  checkpointBudgetMs?: number;
  now?: () => number;
}

interface Checkpoint {
  count: number;
  state: Uint8Array | null;
}

export function frameOf(doc: Y.Doc, count: number | null): BoardFrame {
  return { count, agenda: readAgenda(doc), room: readRoom(doc) };
}

/** A board sent whole (the server's rebuild at a moment) as a frame. */
export function frameOfState(state: Uint8Array): BoardFrame {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const frame = frameOf(doc, null);
  doc.destroy();
  return frame;
}

export class ReplayEngine {
  readonly #updates: Uint8Array[] = [];
  /** Every update received so far, applied: checkpoints are encoded from it. */
  readonly #head = new Y.Doc();
  readonly #checkpoints: Checkpoint[] = [{ count: 0, state: null }];
  /** The board of the last seek, reused when the next one moves forward from it (playback). */
  #cursor: { doc: Y.Doc; count: number } | null = null;
  #sinceCheckpointMs = 0;
  readonly #every: number;
  readonly #budgetMs: number;
  readonly #now: () => number;

  constructor(options: EngineOptions = {}) {
    this.#every = options.checkpointEvery ?? 500;
    this.#budgetMs = options.checkpointBudgetMs ?? 25;
    this.#now = options.now ?? (() => performance.now());
  }

  get count(): number {
    return this.#updates.length;
  }

  get checkpoints(): readonly number[] {
    return this.#checkpoints.map((checkpoint) => checkpoint.count);
  }

  /** Appends updates (in log order) and applies them to the head board, checkpointing on the way. */
  ingest(updates: readonly Uint8Array[]): void {
    let started = this.#now();
    for (const update of updates) {
      Y.applyUpdate(this.#head, update);
      this.#updates.push(update);
      const since = this.#updates.length - this.#checkpoints.at(-1)!.count;
      if (since >= this.#every || this.#sinceCheckpointMs + this.#now() - started >= this.#budgetMs) {
        this.#checkpoint();
        started = this.#now();
      }
    }
    this.#sinceCheckpointMs += this.#now() - started;
  }

  #checkpoint(): void {
    if (this.#checkpoints.at(-1)!.count === this.#updates.length) return;
    this.#checkpoints.push({ count: this.#updates.length, state: Y.encodeStateAsUpdate(this.#head) });
    this.#sinceCheckpointMs = 0;
  }

  /** The board after the first `count` updates received (clamped to what has arrived). */
  seek(count: number): BoardFrame {
    const target = Math.max(0, Math.min(Math.floor(count), this.#updates.length));
    if (target === this.#updates.length) return frameOf(this.#head, target);
    const checkpoint = this.#checkpointAtOrBefore(target);
    const cursor = this.#cursor;
    if (!cursor || cursor.count > target || cursor.count < checkpoint.count) {
      cursor?.doc.destroy();
      const doc = new Y.Doc();
      if (checkpoint.state) Y.applyUpdate(doc, checkpoint.state);
      this.#cursor = { doc, count: checkpoint.count };
    }
    const moving = this.#cursor!;
    moving.doc.transact(() => {
      for (let index = moving.count; index < target; index++) Y.applyUpdate(moving.doc, this.#updates[index]!);
    });
    moving.count = target;
    return frameOf(moving.doc, target);
  }

  #checkpointAtOrBefore(count: number): Checkpoint {
    let low = 0;
    let high = this.#checkpoints.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.#checkpoints[mid]!.count <= count) low = mid;
      else high = mid - 1;
    }
    return this.#checkpoints[low]!;
  }

  destroy(): void {
    this.#cursor?.doc.destroy();
    this.#head.destroy();
  }
}
