// Cross-room group commit: the one writer of this process for the boards of all its rooms. A room with updates
// queued asks to be written (BoardWriter, board-writer.ts); a few milliseconds after the first such request the
// committer takes every waiting room's queue and appends them all in one statement (one transaction, one WAL
// flush), then tells each room what is committed, for its acknowledgements. One statement is in flight at a time;
// what is queued meanwhile goes into the next one. A room keeps its own order because it is in at most one
// statement at a time. If the shared statement fails, each room is written on its own, so one bad room (its
// review deleted, say) cannot hold the others back; a room whose write failed retries on its own backoff.
import type { Sql } from '../db/connect.ts';
import { appendBoardUpdates, type LoggedUpdate } from '../store/board-log.ts';
import { appendBoardUpdatesOfReviews, type ReviewBatch } from '../store/board-group-append.ts';

/** A room's side of the committer. */
export interface CommitSource {
  readonly reviewId: string;
  /** Hands over what is queued (and stops queuing into it); null if nothing is. */
  take(): ReviewBatch | null;
  /** The batch taken last is committed. */
  committed(): void;
  /** The batch taken last was not written; the room keeps it for a retry. */
  failed(error: unknown): void;
}

/** At most this many updates go into one statement; the rooms past it wait for the next one. */
export const MAX_UPDATES_PER_COMMIT = 5_000;

export class BoardCommitter {
  readonly #waiting = new Set<CommitSource>();
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  /** Someone waits for the next statement (a drain): write it without the batching delay. */
  #urgent = false;
  #commits = 0;

  constructor(
    private readonly sql: Sql,
    private readonly flushDelayMs: number,
  ) {}

  /** Statements written so far (for the tests and the benchmark). */
  get commits(): number {
    return this.#commits;
  }

  /** The room has updates queued: they go into the next statement. */
  request(source: CommitSource): void {
    this.#waiting.add(source);
    this.#schedule(this.#urgent ? 0 : this.flushDelayMs);
  }

  /** Write what waits now rather than after the batching delay. */
  flushNow(): void {
    this.#urgent = true;
    if (this.#inFlight) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#schedule(0);
  }

  /** The room is going away: nothing more is taken from it. */
  forget(source: CommitSource): void {
    this.#waiting.delete(source);
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#inFlight || this.#waiting.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#inFlight = this.#write().finally(() => {
        this.#inFlight = null;
        this.#schedule(this.#urgent ? 0 : this.flushDelayMs);
      });
    }, delayMs);
  }

  async #write(): Promise<void> {
    this.#urgent = false;
    const taken: [CommitSource, ReviewBatch][] = [];
    let updates = 0;
    for (const source of this.#waiting) {
      if (updates >= MAX_UPDATES_PER_COMMIT) break;
      this.#waiting.delete(source);
      const batch = source.take();
      if (!batch) continue;
      taken.push([source, batch]);
      updates += batch.updates.length;
    }
    if (taken.length === 0) return;
    this.#commits += 1;
    if (taken.length > 1) {
      let written: Map<string, number> | undefined;
      try {
        written = await appendBoardUpdatesOfReviews(
          this.sql,
          taken.map(([, batch]) => batch),
        );
      } catch {
        // Written one by one below, so the failure lands on the rooms that cause it.
      }
      if (written) {
        for (const [source] of taken)
          if (written.has(source.reviewId)) source.committed();
          else source.failed(new Error(`Review ${source.reviewId} does not exist`));
        return;
      }
    }
    await Promise.all(taken.map(([source, batch]) => this.#writeOne(source, batch.updates, batch.snapshot)));
  }

  async #writeOne(source: CommitSource, updates: LoggedUpdate[], snapshot: Uint8Array | undefined): Promise<void> {
    try {
      await appendBoardUpdates(this.sql, source.reviewId, updates, snapshot);
    } catch (error) {
      source.failed(error);
      return;
    }
    source.committed();
  }

  /** Nothing waits and nothing is being written. */
  get idle(): boolean {
    return this.#waiting.size === 0 && this.#inFlight === null && this.#timer === null;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#waiting.clear();
  }
}
