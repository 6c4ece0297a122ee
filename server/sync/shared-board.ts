// A room's board when several processes serve it (REDIS_URL). Every process appends the updates its own clients
// (and its own server-side edits) make to the review's Redis stream, and applies everyone else's in stream
// order; the stream's order is causal (an update is appended after everything it builds on was applied).
// One process at a time owns the room (a lease in Redis) and persists the stream to PostgreSQL in order, with
// the id of the last persisted entry stored under the review's row lock: an owner that lost its lease cannot
// write an entry twice, and a new owner goes on from that cursor. After each commit the owner announces the
// cursor, and every process acknowledges to its clients the state vector of what is committed.
// It stays one class of about 380 lines: applying the stream, ownership and persisting read and move the same
// cursors (last seen, own last, committed), and split apart they would have to share them all.
import * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import { appendBoardUpdates, readStreamCursor, type LoggedUpdate } from '../store/board-log.ts';
import { compareStreamIds } from '../domain/stream-ids.ts';
import { errorFields, logFailure } from '../logger.ts';
import type { RedisHub } from './redis-hub.ts';
import type { RoomMessage, StreamEntry } from './redis-messages.ts';
import type { BoardWriterOptions } from './board-writer.ts';
import { IdleSignal, retryDelayMs } from './idle-signal.ts';
import { REMOTE_ORIGIN } from './origins.ts';
import { encodeStateWithoutPending, type BoardSink } from './board-sink.ts';

export const LEASE_MS = 5_000;

/** A BoardWriter's settings (its own writes instead of the committer's), plus what sharing needs. */
export interface SharedBoardOptions extends Omit<BoardWriterOptions, 'onFailure' | 'committer'> {
  sql: Sql;
  /** Wait this long after the first update before persisting, to batch a burst of keystrokes. */
  flushDelayMs: number;
  hub: RedisHub;
  /** The stream cursor the board was loaded at (null if Redis never served it). */
  cursor: string | null;
  onAwareness(update: Uint8Array): void;
  /** Another process asks who is here: answer with this process's own clients' awareness. */
  localAwareness(): Uint8Array | null;
}

function maxMerge(into: Map<number, number>, from: Map<number, number>): void {
  for (const [client, clock] of from) if ((into.get(client) ?? 0) < clock) into.set(client, clock);
}

export class SharedBoard implements BoardSink {
  readonly #o: SharedBoardOptions;
  /** Local updates not yet appended to the stream. */
  #outbox: LoggedUpdate[] = [];
  #appending: Promise<void> | null = null;
  #appendScheduled = false;
  #appendFailures = 0;
  /** The id of the latest entry this process appended. */
  #ownLast: string | null = null;
  /** The stream is applied up to here, without a gap. */
  #lastSeen = '0-0';
  /** Everything up to this entry is in PostgreSQL. */
  #committedCursor: string;
  #committed: Map<number, number>;
  /** Applied entries after the committed cursor, in stream order. */
  #log: StreamEntry[] = [];
  /** Messages that arrived while catching up with the stream. */
  #backlog: RoomMessage[] = [];
  #catchingUp: Promise<void> | null = null;
  #ready = false;
  // Ownership.
  #owner = false;
  #persisting: Promise<void> | null = null;
  #persistTimer: NodeJS.Timeout | null = null;
  #persistFailures = 0;
  #updatesSinceSnapshot: number;
  #stopped = false;
  readonly #drained = new IdleSignal();

  constructor(options: SharedBoardOptions) {
    this.#o = options;
    this.#committedCursor = options.cursor ?? '0-0';
    this.#committed = Y.decodeStateVector(Y.encodeStateVector(options.doc));
    this.#updatesSinceSnapshot = options.updatesSinceSnapshot;
  }

  /** Subscribes, then applies what the stream holds beyond the loaded cursor; call before anyone joins. */
  async start(): Promise<void> {
    const { hub, reviewId } = this.#o;
    await hub.join(reviewId, (message) => this.#receive(message));
    const { last, entries } = await hub.tail(reviewId, this.#o.cursor);
    this.#applyEntries(entries);
    if (compareStreamIds(last, this.#lastSeen) > 0) this.#lastSeen = last;
    this.#ready = true;
    this.#drainBacklog();
    void hub
      .announce(reviewId, { kind: 'query-awareness', process: hub.process })
      .catch(logFailure(this.#o.logger, 'could not ask other processes for presence', { reviewId }));
    await this.tend();
  }

  get committedStateVector(): Uint8Array {
    return Y.encodeStateVector(this.#committed);
  }

  get owner(): boolean {
    return this.#owner;
  }

  /** Nothing of this process's waits to be appended or persisted (and, as owner, nothing of anyone's). */
  get idle(): boolean {
    return (
      this.#outbox.length === 0 &&
      this.#appending === null &&
      (this.#ownLast === null || compareStreamIds(this.#ownLast, this.#committedCursor) <= 0) &&
      (!this.#owner || (this.#log.length === 0 && this.#persisting === null))
    );
  }

  enqueue(update: LoggedUpdate): void {
    this.#outbox.push(update);
    if (this.#appendScheduled || this.#appending) return;
    this.#appendScheduled = true;
    setImmediate(() => {
      this.#appendScheduled = false;
      void this.#append();
    });
  }

  publishAwareness(update: Uint8Array): void {
    const { hub, reviewId } = this.#o;
    hub
      .announce(reviewId, { kind: 'awareness', process: hub.process, update })
      .catch(logFailure(this.#o.logger, 'could not send presence to other processes', { reviewId }));
  }

  /** Appends the outbox to the stream, in order, one round trip at a time. */
  #append(): Promise<void> {
    if (this.#appending || this.#outbox.length === 0) return this.#appending ?? Promise.resolve();
    const batch = this.#outbox;
    this.#outbox = [];
    this.#appending = this.#o.hub
      .append(
        this.#o.reviewId,
        batch.map(({ update, authorId, at }) => ({ update, authorId, at: at.getTime() })),
      )
      .then(
        (ids) => {
          this.#appending = null;
          this.#appendFailures = 0;
          const last = ids.at(-1);
          if (last) this.#ownLast = last;
          if (this.#outbox.length > 0) void this.#append();
          this.#notifyIfIdle();
        },
        (error: unknown) => {
          // Nothing of a failed pipeline is assumed appended; Yjs ignores what a retry repeats.
          this.#appending = null;
          this.#outbox = [...batch, ...this.#outbox];
          this.#appendFailures += 1;
          const retryInMs = retryDelayMs(this.#appendFailures);
          this.#o.logger.error('redis append failed; retrying', {
            reviewId: this.#o.reviewId,
            updates: this.#outbox.length,
            retryInMs,
            error: error instanceof Error ? error.message : String(error),
          });
          if (!this.#stopped) setTimeout(() => void this.#append(), retryInMs);
        },
      );
    return this.#appending;
  }

  #receive(message: RoomMessage): void {
    if (!this.#ready || this.#catchingUp) {
      this.#backlog.push(message);
      return;
    }
    this.#handle(message);
  }

  #drainBacklog(): void {
    while (this.#backlog.length > 0 && !this.#catchingUp) this.#handle(this.#backlog.shift()!);
  }

  #handle(message: RoomMessage): void {
    const { hub } = this.#o;
    switch (message.kind) {
      case 'update': {
        if (compareStreamIds(message.entry.id, this.#lastSeen) <= 0) return;
        if (message.prev !== this.#lastSeen) return this.#catchUp(message);
        this.#applyEntries([message.entry]);
        return;
      }
      case 'committed':
        return this.#markCommitted(message.cursor);
      case 'awareness':
        if (message.process !== hub.process) this.#o.onAwareness(message.update);
        return;
      case 'query-awareness': {
        if (message.process === hub.process) return;
        const update = this.#o.localAwareness();
        if (update) this.publishAwareness(update);
        return;
      }
      case 'released':
        if (message.process !== hub.process) void this.tend();
        return;
    }
  }

  /** An announcement was missed (pub/sub drops messages under pressure): read the stream from where we are. */
  #catchUp(trigger: RoomMessage): void {
    this.#backlog.unshift(trigger);
    this.#catchingUp = this.#o.hub.tail(this.#o.reviewId, this.#lastSeen).then(
      ({ entries }) => {
        this.#catchingUp = null;
        this.#applyEntries(entries);
        this.#drainBacklog();
      },
      (error: unknown) => {
        this.#o.logger.warn('redis: could not read the stream; retrying', { error: String(error) });
        setTimeout(() => {
          this.#catchingUp = null;
          this.#drainBacklog();
        }, 200);
      },
    );
  }

  #applyEntries(entries: StreamEntry[]): void {
    const foreign = entries.filter(
      (entry) => compareStreamIds(entry.id, this.#lastSeen) > 0 && entry.process !== this.#o.hub.process,
    );
    if (foreign.length > 0)
      this.#o.doc.transact(() => {
        for (const entry of foreign) Y.applyUpdate(this.#o.doc, entry.update, REMOTE_ORIGIN);
      }, REMOTE_ORIGIN);
    for (const entry of entries) {
      if (compareStreamIds(entry.id, this.#lastSeen) <= 0) continue;
      this.#lastSeen = entry.id;
      if (compareStreamIds(entry.id, this.#committedCursor) <= 0) this.#fold(entry);
      else this.#log.push(entry);
    }
    if (this.#owner) this.#schedulePersist(this.#o.flushDelayMs);
  }

  #fold(entry: StreamEntry): void {
    maxMerge(this.#committed, Y.parseUpdateMeta(entry.update).to);
  }

  #markCommitted(cursor: string): void {
    if (compareStreamIds(cursor, this.#committedCursor) <= 0) return;
    this.#committedCursor = cursor;
    let folded = 0;
    while (folded < this.#log.length && compareStreamIds(this.#log[folded]!.id, cursor) <= 0)
      this.#fold(this.#log[folded++]!);
    this.#log = this.#log.slice(folded);
    this.#o.onCommitted(this.committedStateVector);
    this.#notifyIfIdle();
  }

  /**
   * Keeps ownership: renews the lease when held, takes it when free. Rooms calls this every second for every
   * loaded room; a new owner persists from the cursor PostgreSQL holds.
   */
  async tend(): Promise<void> {
    if (this.#stopped) return;
    const { hub, reviewId } = this.#o;
    let holds: boolean;
    try {
      holds = await hub.acquire(reviewId, LEASE_MS);
    } catch {
      holds = false;
    }
    if (holds && !this.#owner) {
      try {
        const stored = await readStreamCursor(this.#o.sql, reviewId);
        this.#updatesSinceSnapshot = stored.updatesSinceSnapshot;
        if (stored.cursor) this.#markCommitted(stored.cursor);
        this.#owner = true;
        this.#schedulePersist(0);
      } catch (error) {
        this.#o.logger.warn('could not take over a room', { reviewId, error: String(error) });
        await hub.release(reviewId).catch(logFailure(this.#o.logger, 'could not release a room lease', { reviewId }));
      }
    } else if (!holds && this.#owner) {
      this.#owner = false;
    } else if (!holds && this.#ownLast !== null && compareStreamIds(this.#ownLast, this.#committedCursor) > 0) {
      // Waiting for our entries to be committed: an announcement may have been missed, so ask PostgreSQL.
      const stored = await readStreamCursor(this.#o.sql, reviewId).catch((error: unknown) => {
        this.#o.logger.warn('could not read the committed stream position', { reviewId, ...errorFields(error) });
        return null;
      });
      if (stored?.cursor) this.#markCommitted(stored.cursor);
    }
  }

  #schedulePersist(delayMs: number): void {
    if (!this.#owner || this.#persistTimer || this.#persisting || this.#log.length === 0 || this.#stopped) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = null;
      void this.#persist();
    }, delayMs);
  }

  #persist(): Promise<void> {
    if (this.#persisting) return this.#persisting;
    if (!this.#owner || this.#log.length === 0) return Promise.resolve();
    const batch = this.#log;
    const cursor = batch.at(-1)!.id;
    // A snapshot must equal the log up to its sequence number: only when the document holds nothing beyond
    // this batch (every local update appended and seen back, nothing applied after it).
    const documentIsBatch =
      this.#outbox.length === 0 &&
      this.#appending === null &&
      (this.#ownLast === null || compareStreamIds(this.#ownLast, this.#lastSeen) <= 0);
    const snapshot =
      documentIsBatch && this.#updatesSinceSnapshot + batch.length >= this.#o.snapshotEvery
        ? encodeStateWithoutPending(this.#o.doc)
        : undefined;
    // The same change can reach the stream twice (a client that reconnects elsewhere resends what that process
    // had not applied yet): only what is not written already is written.
    const written = new Map(this.#committed);
    const rows: LoggedUpdate[] = [];
    const ids: string[] = [];
    for (const entry of batch) {
      const fresh = Y.diffUpdate(entry.update, Y.encodeStateVector(written));
      maxMerge(written, Y.parseUpdateMeta(entry.update).to);
      const { structs, ds } = Y.decodeUpdate(fresh);
      if (structs.length === 0 && ds.clients.size === 0) continue;
      rows.push({ update: fresh, authorId: entry.authorId, at: new Date(entry.at) });
      ids.push(entry.id);
    }
    this.#persisting = appendBoardUpdates(this.#o.sql, this.#o.reviewId, rows, snapshot, { ids, cursor }).then(
      () => {
        this.#persisting = null;
        this.#persistFailures = 0;
        this.#updatesSinceSnapshot = snapshot ? 0 : this.#updatesSinceSnapshot + batch.length;
        const { hub, reviewId } = this.#o;
        const { logger } = this.#o;
        hub
          .announce(reviewId, { kind: 'committed', cursor })
          .catch(logFailure(logger, 'could not announce a commit', { reviewId, cursor }));
        hub.trim(reviewId, cursor).catch(logFailure(logger, 'could not trim a review stream', { reviewId, cursor }));
        this.#markCommitted(cursor);
        this.#schedulePersist(this.#o.flushDelayMs);
      },
      (error: unknown) => {
        this.#persisting = null;
        this.#persistFailures += 1;
        const retryInMs = retryDelayMs(this.#persistFailures);
        this.#o.logger.error('board commit failed; retrying', {
          reviewId: this.#o.reviewId,
          updates: this.#log.length,
          retryInMs,
          error: error instanceof Error ? error.message : String(error),
        });
        this.#schedulePersist(retryInMs);
      },
    );
    return this.#persisting;
  }

  #notifyIfIdle(): void {
    if (this.idle) this.#drained.notify();
  }

  /** Appends and (as owner) persists everything now; resolves once this process has nothing pending. */
  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.idle) return;
    void this.#append();
    if (this.#persistTimer) {
      clearTimeout(this.#persistTimer);
      this.#persistTimer = null;
      void this.#persist();
    }
    await this.#drained.wait(timeoutMs, () => new Error(`Board ${this.#o.reviewId}: updates not saved`));
  }

  /** Leaves the channel and hands ownership over (the process is unloading the room or going away). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#persistTimer) clearTimeout(this.#persistTimer);
    const { hub, reviewId } = this.#o;
    void hub.leave(reviewId);
    if (this.#owner) {
      this.#owner = false;
      void hub
        .release(reviewId)
        .then(() => hub.announce(reviewId, { kind: 'released', process: hub.process }))
        .catch(logFailure(this.#o.logger, 'could not hand a room over', { reviewId }));
    }
  }
}
