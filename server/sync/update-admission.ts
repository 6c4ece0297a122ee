// The document side of a room: whether a client's update goes into the board, and how. Every update is judged
// against the board's permission table (update-permissions.ts) and the update quotas (room-quota.ts) before any of
// it touches the document; a large one is decoded in a worker under a deadline (update-check.ts) while that
// connection's later frames wait. An allowed update is integrated with the connection as origin; a refused one is
// integrated as deleted (refused-update.ts) and its writer told why; one that builds on changes the room lacks waits
// for them a while, and is never integrated as pending structs (they would go in unjudged once completed).
// It stays one class of about 310 lines: judging, the worker's deadline and the wait for missing changes share the
// connection's held frames and wait timers, which keep a connection's updates admitted in the order it sent them.
import * as Y from 'yjs';
import { forbiddenNotice } from '../domain/board-refusals.ts';
import { refusalNotice, type RefusalReason } from '../domain/update-quota.ts';
import type { Logger } from '../logger.ts';
import type { Connection } from './connection.ts';
import { isConnection, isRefusal, REFUSED_ORIGIN, type RoomOrigin } from './origins.ts';
import { CloseCode, encodeNotice, MalformedMessage } from './protocol.ts';
import { applyAsDeleted } from './refused-update.ts';
import { RoomQuota } from './room-quota.ts';
import type { UpdateChecker, Verdict } from './update-check.ts';
import { checkUpdatePermissions, type PermissionVerdict } from './update-permissions.ts';

/**
 * How long an update may wait for changes it builds on, from a client that has not sent its sync step 2 yet (a
 * client that reconnects and types at once sends the edit before the answer that carries its predecessors).
 */
export const PENDING_GRACE_MS = 2_000;

/** Frames a connection may send while one of its large updates is being checked. */
export const MAX_HELD_FRAMES = 256;

/** Why an update is refused: over a quota, or with a write its writer may not make. */
type Refusal =
  | { kind: 'quota'; reason: RefusalReason }
  | { kind: 'permission'; verdict: Extract<PermissionVerdict, { kind: 'refused' }> };

/** What admission needs of its room. */
export interface AdmissionRoom {
  readonly reviewId: string;
  readonly doc: Y.Doc;
  readonly connections: ReadonlySet<Connection>;
  readonly logger: Logger;
  /** The whole board as a sync step 2 (the room keeps one encoding per change of the board). */
  fullState(): Uint8Array;
  /** Handles a frame that waited for a large update's verdict. */
  handleHeld(connection: Connection, frame: Uint8Array): void;
  /** Closes the connection (after it leaves the room). */
  reject(connection: Connection, code: number, reason: string): void;
  rejectMalformed(connection: Connection, error: unknown): void;
}

export class UpdateAdmission {
  /** Document updates dropped from read-only connections, for the room's counters. */
  droppedUpdates = 0;
  /** Document updates refused, over a quota or against the permissions (undone by tombstones), likewise. */
  refusedUpdates = 0;
  /** Of those, the ones with a write the writer may not make. */
  forbiddenUpdates = 0;
  readonly #quota: RoomQuota;
  /** The tombstones the last refusal left, as the doc's update handler saw them. */
  #tombstoneBytes = 0;
  /** Connections whose updates wait for predecessors (created on first use: most rooms never need it). */
  #pendingBy: Set<Connection> | null = null;
  #pendingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly room: AdmissionRoom,
    private readonly checker: UpdateChecker,
    /** False only in the benchmark (Rooms' `judgeUpdates`), to measure what judging the permissions costs. */
    private readonly judgeUpdates: boolean,
  ) {
    // The next joiner with nothing gets this same encoding.
    this.#quota = new RoomQuota(room);
  }

  /** An update was applied to the board (from the doc's update handler). */
  applied(update: Uint8Array, origin: RoomOrigin): void {
    // A connection's updates were counted when they were judged.
    if (!isConnection(origin)) this.#quota.countApplied(update.byteLength);
    if (isRefusal(origin)) this.#tombstoneBytes += update.byteLength;
  }

  /** Whether the connection has updates in the document still waiting for their predecessors. */
  hasPending(connection: Connection): boolean {
    return this.#pendingBy?.has(connection) ?? false;
  }

  /** A document update (or sync step 2) from a connection; throws MalformedMessage if it must close it. */
  receive(connection: Connection, update: Uint8Array, step2: boolean): void {
    if (step2) connection.sentStep2 = true;
    if (connection.readOnly) {
      // Sync step 2 of an up-to-date client is an empty update (2 bytes); only real edits count as dropped.
      if (update.byteLength > 2) this.#drop(connection);
      return;
    }
    if (this.checker.needsWorker(update)) {
      // Large: judged against the quotas (as growing the board), then decoded in the worker, under a deadline;
      // this connection's next frames wait for the verdict.
      const refusal = this.#quota.judge(connection, update.byteLength, true);
      connection.held = [];
      void this.checker.check(update).then((verdict) => this.#afterCheck(connection, update, verdict, refusal));
      return;
    }
    // Decoding the whole update first means a malformed one is refused before any of it is integrated.
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      throw new MalformedMessage('Malformed document update');
    }
    this.#admit(connection, update, decoded);
  }

  #drop(connection: Connection): void {
    connection.droppedUpdates += 1;
    this.droppedUpdates += 1;
  }

  /**
   * Judges an update by the board's permissions (update-permissions.ts), then by the quotas (unless judged already,
   * `quotaRefusal`), and integrates it or refuses it. One that builds on changes the room lacks waits (`#wait`).
   */
  #admit(
    connection: Connection,
    update: Uint8Array,
    decoded?: ReturnType<typeof Y.decodeUpdate>,
    quotaRefusal?: RefusalReason | null,
  ): void {
    const verdict: PermissionVerdict = this.judgeUpdates
      ? checkUpdatePermissions(this.room.doc, update, connection.writer, decoded ? { decoded } : {})
      : { kind: 'allowed', writes: 0 };
    switch (verdict.kind) {
      case 'malformed':
        throw new MalformedMessage('Malformed document update');
      case 'incomplete':
        return this.#wait(connection, update);
      case 'refused':
        this.#refuse(connection, update, { kind: 'permission', verdict });
        break;
      case 'allowed': {
        const grows = decoded ? decoded.structs.length > 0 : true;
        const refusal =
          quotaRefusal !== undefined ? quotaRefusal : this.#quota.judge(connection, update.byteLength, grows);
        if (refusal) this.#refuse(connection, update, { kind: 'quota', reason: refusal });
        else this.#integrate(connection, update);
      }
    }
    if (connection.waiting && this.room.connections.has(connection)) {
      // What waited may be complete now (a reconnecting client's step 2 carries what its first edits build on).
      const waiting = connection.waiting;
      this.#stopWaiting(connection);
      this.#admit(connection, waiting.length === 1 ? waiting[0]! : Y.mergeUpdates(waiting));
    }
  }

  /**
   * An update that builds on structs the room lacks cannot be judged, so it is never integrated as pending structs
   * (they would go in unjudged once their predecessors came). From a client that has answered the server's sync step
   * 1, an honest update never does: it is closed. Before that, it waits for the client's next update, a while.
   */
  #wait(connection: Connection, update: Uint8Array): void {
    if (connection.sentStep2) throw new MalformedMessage('Update depends on changes the server does not have');
    const waiting = (connection.waiting ??= []);
    if (
      waiting.length >= MAX_HELD_FRAMES ||
      connection.waitingBytes + update.byteLength > connection.limits.connectionBytesPerMinute
    )
      return this.room.reject(connection, CloseCode.tooManyMessages, 'Too many updates waiting for what they build on');
    waiting.push(update);
    connection.waitingBytes += update.byteLength;
    if (connection.waitTimer) return;
    connection.waitTimer = setTimeout(() => {
      connection.waitTimer = undefined;
      if (connection.waiting)
        this.room.reject(connection, CloseCode.malformed, 'Update depends on changes the server does not have');
    }, PENDING_GRACE_MS);
  }

  #stopWaiting(connection: Connection): void {
    connection.waiting = null;
    connection.waitingBytes = 0;
    clearTimeout(connection.waitTimer);
    connection.waitTimer = undefined;
  }

  #afterCheck(connection: Connection, update: Uint8Array, verdict: Verdict, refusal: RefusalReason | null): void {
    const held = connection.held ?? [];
    connection.held = null;
    const room = this.room;
    if (!room.connections.has(connection)) return;
    if (verdict === 'unavailable') return room.reject(connection, CloseCode.unavailable, 'Server shutting down');
    if (verdict === 'too-costly') return room.reject(connection, CloseCode.malformed, 'Update too costly to decode');
    try {
      if (verdict === 'malformed') throw new MalformedMessage('Malformed document update');
      // A read-only connection now (demoted while it waited) has its update dropped like any other.
      if (connection.readOnly) this.#drop(connection);
      else this.#admit(connection, update, undefined, refusal);
    } catch (error) {
      return room.rejectMalformed(connection, error);
    }
    for (const [index, frame] of held.entries()) {
      if (!room.connections.has(connection)) return;
      // Another large update among them: the rest waits for its verdict in turn.
      if (connection.holding()) {
        connection.held!.push(...held.slice(index));
        return;
      }
      room.handleHeld(connection, frame);
    }
  }

  #integrate(connection: Connection, update: Uint8Array): void {
    // Every client syncs through this server, so once a client has answered the server's sync step 1, an honest
    // update of it never depends on changes the server lacks. One that does (forged or mangled) would sit in the
    // document as pending structs and reach every joiner, breaking their boards: the integrable part is kept, the
    // rest dropped and the sender closed. Before its step 2, a client gets a short grace for the predecessors.
    const doc = this.room.doc;
    const store = doc.store;
    const hadPending = store.pendingStructs !== null || store.pendingDs !== null;
    Y.applyUpdate(doc, update, connection);
    if (connection.wantsAcks) connection.awaitingAck = true;
    if (store.pendingStructs === null && store.pendingDs === null) return this.#settlePending();
    if (!hadPending) (this.#pendingBy ??= new Set()).add(connection);
    if (!this.#pendingBy?.has(connection)) return;
    if (connection.sentStep2) {
      this.#dropPending();
      throw new MalformedMessage('Update depends on changes the server does not have');
    }
    this.#pendingTimer ??= setTimeout(() => {
      for (const waiting of [...(this.#pendingBy ?? [])])
        this.room.reject(waiting, CloseCode.malformed, 'Update depends on changes the server does not have');
      this.#dropPending();
    }, PENDING_GRACE_MS);
  }

  /**
   * Refuses an update, over a quota or against the board's permissions: what it inserts is integrated as deleted,
   * and what it replaced or removed is put back (refused-update.ts), so nothing of it is stored or sent, the writer
   * stays connected and its board converges back to the server's; Lastmile's client is told why. The tombstones
   * count against the connection's and the room's bytes; a connection that overdraws its bytes by a minute's worth
   * that way is closed (4429).
   */
  #refuse(connection: Connection, update: Uint8Array, why: Refusal): void {
    const { doc, logger, reviewId } = this.room;
    const store = doc.store;
    // Another update waiting for predecessors might complete with this one's structs, content and all.
    if (store.pendingStructs !== null || store.pendingDs !== null)
      return this.room.reject(connection, CloseCode.tryAgainLater, 'Board busy; reconnecting');
    this.#tombstoneBytes = 0;
    applyAsDeleted(doc, update, REFUSED_ORIGIN, why.kind === 'permission' ? why.verdict.restore : []);
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // It builds on changes the server lacks: the client sends them again with this one when it reconnects.
      this.#dropPending();
      return this.room.reject(
        connection,
        CloseCode.tryAgainLater,
        'Update depends on changes the server does not have',
      );
    }
    this.refusedUpdates += 1;
    if (why.kind === 'permission') this.forbiddenUpdates += 1;
    connection.spendUpdateBytes(this.#tombstoneBytes);
    this.#quota.overdraw(this.#tombstoneBytes);
    logger.info(
      why.kind === 'quota' ? 'sync: refused an update over a quota' : 'sync: refused an update the writer may not make',
      {
        reviewId,
        userId: connection.userId,
        reason: why.kind === 'quota' ? why.reason : why.verdict.refused.map((write) => `${write.write} ${write.path}`),
        bytes: update.byteLength,
        tombstoneBytes: this.#tombstoneBytes,
      },
    );
    if (connection.overdrawn)
      return this.room.reject(connection, CloseCode.tooManyMessages, 'Too many refused updates');
    if (connection.wantsAcks) {
      // Its "saved" waits on the tombstones' commit like on any edit of its own.
      connection.awaitingAck = true;
      connection.send(
        encodeNotice(
          why.kind === 'quota'
            ? refusalNotice(why.reason, update.byteLength, connection.limits)
            : forbiddenNotice(why.verdict.refused),
        ),
      );
    }
  }

  /** Everything that waited is integrated now. */
  #settlePending(): void {
    clearTimeout(this.#pendingTimer);
    this.#pendingTimer = undefined;
    this.#pendingBy = null;
  }

  #dropPending(): void {
    this.room.doc.store.pendingStructs = null;
    this.room.doc.store.pendingDs = null;
    this.#settlePending();
  }

  /** The connection left: what it made wait goes too (it will not get its predecessors from anyone else). */
  leave(connection: Connection): void {
    this.#stopWaiting(connection);
    if (this.#pendingBy?.has(connection)) this.#dropPending();
  }

  destroy(): void {
    clearTimeout(this.#pendingTimer);
    for (const connection of this.room.connections) clearTimeout(connection.waitTimer);
  }
}
