// Group commit of a room's updates: every update is queued as it is applied (the broadcast never waits), and a
// flush a few milliseconds later appends everything queued in one transaction. After a commit, the room learns
// the state vector of what is now durable, which is what clients are acknowledged. A failed commit keeps the
// batch at the head of the queue and retries with backoff; nothing is dropped.
import * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { appendBoardUpdates, type LoggedUpdate } from '../store/board-log.ts';
import { IdleSignal, retryDelayMs } from './idle-signal.ts';
import { encodeStateWithoutPending } from './board-sink.ts';

export interface BoardWriterOptions {
  sql: Sql;
  reviewId: string;
  doc: Y.Doc;
  logger: Logger;
  /** Wait this long after the first queued update before committing, to batch a burst of keystrokes. */
  flushDelayMs: number;
  /** Write a snapshot with the batch once this many updates have been logged since the last one. */
  snapshotEvery: number;
  /** Updates already in the log after the latest snapshot when the room was loaded. */
  updatesSinceSnapshot: number;
  onCommitted(stateVector: Uint8Array): void;
  onFailure?(error: unknown): void;
}

export class BoardWriter {
  #pending: LoggedUpdate[] = [];
  #inFlight: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #updatesSinceSnapshot: number;
  #committed: Uint8Array;
  readonly #drained = new IdleSignal();
  readonly #options: BoardWriterOptions;

  constructor(options: BoardWriterOptions) {
    this.#options = options;
    this.#updatesSinceSnapshot = options.updatesSinceSnapshot;
    // Whatever the room was loaded with is in PostgreSQL already.
    this.#committed = Y.encodeStateVector(options.doc);
  }

  /** The state vector of everything committed. */
  get committedStateVector(): Uint8Array {
    return this.#committed;
  }

  /** Nothing queued and nothing being written. */
  get idle(): boolean {
    return this.#pending.length === 0 && this.#inFlight === null;
  }

  /** True while commits fail (the database is unreachable). */
  get failing(): boolean {
    return this.#failures > 0;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  enqueue(update: LoggedUpdate): void {
    this.#pending.push(update);
    this.#schedule(this.#options.flushDelayMs);
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#inFlight || this.#pending.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#flush();
    }, delayMs);
  }

  #flush(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    if (this.#pending.length === 0) return Promise.resolve();
    const batch = this.#pending;
    this.#pending = [];
    // Every update applied to the doc so far is in this batch or already committed, so the doc's state right
    // now is exactly what the log holds once the batch commits: its state vector is what to acknowledge, and
    // its full state is a valid snapshot at the batch's last sequence number.
    const stateVector = Y.encodeStateVector(this.#options.doc);
    const snapshot =
      this.#updatesSinceSnapshot + batch.length >= this.#options.snapshotEvery
        ? encodeStateWithoutPending(this.#options.doc)
        : undefined;
    this.#inFlight = appendBoardUpdates(this.#options.sql, this.#options.reviewId, batch, snapshot).then(
      () => {
        this.#inFlight = null;
        this.#failures = 0;
        this.#updatesSinceSnapshot = snapshot ? 0 : this.#updatesSinceSnapshot + batch.length;
        this.#committed = stateVector;
        this.#options.onCommitted(stateVector);
        this.#schedule(this.#options.flushDelayMs);
        this.#notifyIfIdle();
      },
      (error: unknown) => {
        this.#inFlight = null;
        this.#pending = [...batch, ...this.#pending];
        this.#failures += 1;
        const retryInMs = retryDelayMs(this.#failures);
        this.#options.logger.error('board commit failed; retrying', {
          reviewId: this.#options.reviewId,
          updates: this.#pending.length,
          retryInMs,
          error: error instanceof Error ? error.message : String(error),
        });
        this.#options.onFailure?.(error);
        this.#schedule(retryInMs);
      },
    );
    return this.#inFlight;
  }

  #notifyIfIdle(): void {
    if (this.idle) this.#drained.notify();
  }

  /**
   * Commits everything queued now, and resolves once nothing is pending (retrying failed commits on their
   * backoff schedule). Rejects after `timeoutMs` if the database stays unreachable.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.idle) return;
    if (this.#timer && !this.#inFlight) {
      clearTimeout(this.#timer);
      this.#timer = null;
      void this.#flush();
    }
    await this.#drained.wait(
      timeoutMs,
      () => new Error(`Board ${this.#options.reviewId}: ${this.#pending.length} updates not saved`),
    );
  }

  /** Stops retrying (the process is going away); what is still pending is reported by drain's rejection. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
