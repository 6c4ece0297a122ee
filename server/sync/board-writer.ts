// A room's side of the group commit (board-committer.ts): every update is queued as it is applied (the broadcast
// never waits), and the process's committer takes the queue a few milliseconds later, together with the other
// rooms' queues, and appends it in one statement. After a commit, the room learns the state vector of what is now
// durable, which is what clients are acknowledged. A failed commit keeps the batch at the head of the queue and
// retries with backoff; nothing is dropped.
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { LoggedUpdate } from '../store/board-log.ts';
import type { ReviewBatch } from '../store/board-group-append.ts';
import type { BoardCommitter, CommitSource } from './board-committer.ts';
import { encodeStateWithoutPending } from './board-sink.ts';
import { IdleSignal, retryDelayMs } from './idle-signal.ts';

export interface BoardWriterOptions {
  committer: BoardCommitter;
  reviewId: string;
  doc: Y.Doc;
  logger: Logger;
  /** Write a snapshot with the batch once this many updates have been logged since the last one. */
  snapshotEvery: number;
  /** Updates already in the log after the latest snapshot when the room was loaded. */
  updatesSinceSnapshot: number;
  onCommitted(stateVector: Uint8Array): void;
  onFailure?(error: unknown): void;
}

export class BoardWriter implements CommitSource {
  #pending: LoggedUpdate[] = [];
  /** The batch the committer is writing: its updates, and the doc's state vector and snapshot when taken. */
  #inFlight: { updates: LoggedUpdate[]; stateVector: Uint8Array; snapshot: boolean } | null = null;
  /** Waiting out the backoff after a failed commit. */
  #retry: NodeJS.Timeout | null = null;
  #failures = 0;
  #updatesSinceSnapshot: number;
  #committed: Uint8Array;
  #stopped = false;
  readonly #drained = new IdleSignal();
  readonly #options: BoardWriterOptions;

  constructor(options: BoardWriterOptions) {
    this.#options = options;
    this.#updatesSinceSnapshot = options.updatesSinceSnapshot;
    // Whatever the room was loaded with is in PostgreSQL already.
    this.#committed = Y.encodeStateVector(options.doc);
  }

  get reviewId(): string {
    return this.#options.reviewId;
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
    this.#request();
  }

  #request(): void {
    if (this.#stopped || this.#inFlight || this.#retry || this.#pending.length === 0) return;
    this.#options.committer.request(this);
  }

  take(): ReviewBatch | null {
    if (this.#inFlight || this.#pending.length === 0) return null;
    const updates = this.#pending;
    this.#pending = [];
    // Every update applied to the doc so far is in this batch or already committed, so the doc's state right
    // now is exactly what the log holds once the batch commits: its state vector is what to acknowledge, and
    // its full state is a valid snapshot at the batch's last sequence number.
    const snapshot =
      this.#updatesSinceSnapshot + updates.length >= this.#options.snapshotEvery
        ? encodeStateWithoutPending(this.#options.doc)
        : undefined;
    this.#inFlight = { updates, stateVector: Y.encodeStateVector(this.#options.doc), snapshot: snapshot !== undefined };
    return { reviewId: this.#options.reviewId, updates, snapshot };
  }

  committed(): void {
    const batch = this.#inFlight;
    if (!batch) return;
    this.#inFlight = null;
    this.#failures = 0;
    this.#updatesSinceSnapshot = batch.snapshot ? 0 : this.#updatesSinceSnapshot + batch.updates.length;
    this.#committed = batch.stateVector;
    this.#options.onCommitted(batch.stateVector);
    this.#request();
    if (this.idle) this.#drained.notify();
  }

  failed(error: unknown): void {
    const batch = this.#inFlight;
    if (!batch) return;
    this.#inFlight = null;
    this.#pending = [...batch.updates, ...this.#pending];
    this.#failures += 1;
    const retryInMs = retryDelayMs(this.#failures);
    this.#options.logger.error('board commit failed; retrying', {
      reviewId: this.#options.reviewId,
      updates: this.#pending.length,
      retryInMs,
      error: error instanceof Error ? error.message : String(error),
    });
    this.#options.onFailure?.(error);
    if (this.#stopped) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#request();
    }, retryInMs);
  }

  /**
   * Commits everything queued now, and resolves once nothing is pending (retrying failed commits on their
   * backoff schedule). Rejects after `timeoutMs` if the database stays unreachable.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.idle) return;
    if (this.#retry && !this.#stopped) {
      clearTimeout(this.#retry);
      this.#retry = null;
      this.#request();
    }
    this.#options.committer.flushNow();
    await this.#drained.wait(
      timeoutMs,
      () => new Error(`Board ${this.#options.reviewId}: ${this.#pending.length} updates not saved`),
    );
  }

  /** Stops retrying (the process is going away); what is still pending is reported by drain's rejection. */
  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#options.committer.forget(this);
  }
}
