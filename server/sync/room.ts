// One live review board in memory: its Y.Doc, the awareness of who is present, the connections, and the writer
// that logs every update to PostgreSQL. Messages from one connection never affect another connection except
// through valid document and awareness updates, and what one connection can make the server hold or send is
// bounded: messages per second, update bytes per minute (per connection and per room) and the board's size,
// awareness bytes per second and a few small states, query answers, and what waits unsent on its socket. Every
// document update is judged against the board's permission table before any of it touches the document.
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AWARENESS_LIMITS, sanitizeAwarenessState } from '../domain/awareness.ts';
import { forbiddenNotice } from '../domain/board-permissions.ts';
import { refusalNotice, type RefusalReason } from '../domain/update-quota.ts';
import type { Logger } from '../logger.ts';
import type { LoggedUpdate } from '../store/board-log.ts';
import {
  CloseCode,
  decodeAwarenessUpdate,
  decodeClientMessage,
  encodeAck,
  encodeAwareness,
  encodeAwarenessUpdate,
  encodeNotice,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MalformedMessage,
} from './protocol.ts';
import { Connection, type ConnectionInfo, type RoomLimits, type Socket } from './connection.ts';
import { authorOf, isConnection, isRefusal, isRemote, REFUSED_ORIGIN, type RoomOrigin } from './origins.ts';
import { applyAsDeleted } from './refused-update.ts';
import { RoomQuota } from './room-quota.ts';
import type { UpdateChecker, Verdict } from './update-check.ts';
import { checkUpdatePermissions, type PermissionVerdict } from './update-permissions.ts';

/** Why an update is refused: over a quota, or with a write its writer may not make. */
type Refusal =
  | { kind: 'quota'; reason: RefusalReason }
  | { kind: 'permission'; verdict: Extract<PermissionVerdict, { kind: 'refused' }> };

export { Connection, type ConnectionInfo, type RoomLimits, type Socket } from './connection.ts';

/**
 * How long an update may wait for changes it builds on, from a client that has not sent its sync step 2 yet (a
 * client that reconnects and types at once sends the edit before the answer that carries its predecessors).
 */
export const PENDING_GRACE_MS = 2_000;

/** Connections that wrote nothing unacknowledged hear of commits at most this often. */
export const READER_ACK_MS = 200;

/** Frames a connection may send while one of its large updates is being checked. */
const MAX_HELD_FRAMES = 256;

/**
 * The document's state without structs still waiting for their predecessors: what joiners and snapshots get, so
 * an update that never completes cannot travel on.
 */
export function encodeStateWithoutPending(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}

/**
 * Where a room's updates go to become durable: PostgreSQL directly (BoardWriter), or a Redis stream that one
 * process persists (SharedBoard). Either tells the room what is committed, for acknowledgements.
 */
export interface BoardSink {
  enqueue(update: LoggedUpdate): void;
  readonly committedStateVector: Uint8Array;
  /** Nothing queued or being written. */
  readonly idle: boolean;
  drain(timeoutMs?: number): Promise<void>;
  stop(): void;
  /** With several processes: this process's clients' awareness changes, for the others. */
  publishAwareness?(update: Uint8Array): void;
}

const OPEN = 1;

export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Document updates dropped from read-only connections, for the room's counters. */
  droppedUpdates = 0;
  /** Document updates refused, over a quota or against the permissions (undone by tombstones), likewise. */
  refusedUpdates = 0;
  /** Of those, the ones with a write the writer may not make. */
  forbiddenUpdates = 0;
  /** The review was closed while the room was loaded. */
  closed = false;
  #writer!: BoardSink;
  readonly #logger: Logger;

  readonly #checker: UpdateChecker;
  /** False only in the benchmark (Rooms' `judgeUpdates`), to measure what judging the permissions costs. */
  readonly #judgeUpdates: boolean;

  constructor(
    readonly reviewId: string,
    doc: Y.Doc,
    logger: Logger,
    checker: UpdateChecker,
    judgeUpdates = true,
  ) {
    this.doc = doc;
    this.#logger = logger;
    this.#checker = checker;
    this.#judgeUpdates = judgeUpdates;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant.
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        for (const id of added) this.#awarenessChanges.add(id);
        for (const id of updated) this.#awarenessChanges.add(id);
        for (const id of removed) this.#awarenessChanges.add(id);
        // Changes of this process's own clients also go to the other processes (with REDIS_URL), in the same turn.
        if (!isRemote(origin) && this.#writer?.publishAwareness)
          for (const id of [...added, ...updated, ...removed]) this.#awarenessToPublish.add(id);
        if (this.#awarenessChanges.size > 0) this.#scheduleBroadcast();
      },
    );
    doc.on('update', (update: Uint8Array, origin: RoomOrigin) => {
      // Another process logs its own updates.
      if (!isRemote(origin)) this.#writer.enqueue({ update, authorId: authorOf(origin), at: new Date() });
      // A connection's updates were counted when they were judged.
      if (!isConnection(origin)) this.#quota.countApplied(update.byteLength);
      if (isRefusal(origin)) this.#tombstoneBytes += update.byteLength;
      this.#fullState = null;
      this.#updates.push(update);
      this.#origins.add(origin);
      this.#scheduleBroadcast();
    });
  }

  // Broadcasts are coalesced per event-loop turn: the updates of a turn are merged and encoded once, and the
  // same buffer goes to every connection; awareness changes likewise. Persistence never delays them.
  #updates: Uint8Array[] = [];
  /** Sync step 2 with the whole board, for clients that join with nothing; dropped on every change. */
  #fullState: Uint8Array | null = null;
  readonly #origins = new Set<RoomOrigin>();
  readonly #awarenessChanges = new Set<number>();
  readonly #awarenessToPublish = new Set<number>();
  #broadcastScheduled = false;

  #scheduleBroadcast(): void {
    if (this.#broadcastScheduled) return;
    this.#broadcastScheduled = true;
    setImmediate(() => this.#broadcast());
  }

  #broadcast(): void {
    this.#broadcastScheduled = false;
    if (this.#updates.length > 0) {
      const updates = this.#updates;
      // A connection need not hear back its own edit; when several sent edits this turn, everyone gets the
      // merged update (Yjs ignores what a client already has).
      const sender = this.#origins.size === 1 ? [...this.#origins][0] : undefined;
      this.#updates = [];
      this.#origins.clear();
      if (this.connections.size > 0) {
        const message = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
        for (const connection of this.connections) if (connection !== sender) connection.send(message);
      }
    }
    if (this.#awarenessChanges.size > 0) {
      const changed = [...this.#awarenessChanges];
      this.#awarenessChanges.clear();
      if (this.connections.size > 0) {
        const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
        for (const connection of this.connections) connection.send(message);
      }
    }
    if (this.#awarenessToPublish.size > 0) {
      const mine = [...this.#awarenessToPublish];
      this.#awarenessToPublish.clear();
      this.#writer.publishAwareness?.(awarenessProtocol.encodeAwarenessUpdate(this.awareness, mine));
    }
  }

  /** Set once, right after construction (the writer needs the loaded doc). */
  attachWriter(writer: BoardSink): void {
    this.#writer = writer;
  }

  get writer(): BoardSink {
    return this.#writer;
  }

  /** The awareness states of this process's own clients (for another process that asks), or null if none. */
  localAwareness(): Uint8Array | null {
    const present = [...this.#localClientIds()].filter((id) => this.awareness.getStates().has(id));
    return present.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, present) : null;
  }

  /** Whether the user is here through another process (their awareness came from there). */
  hasRemoteUser(userId: string): boolean {
    const local = this.#localClientIds();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (local.has(clientId)) continue;
      const user = (state as { user?: { id?: unknown } }).user;
      if (user?.id === userId) return true;
    }
    return false;
  }

  /** The awareness client ids announced by this process's own connections. */
  #localClientIds(): Set<number> {
    return new Set([...this.connections].flatMap((connection) => [...connection.clientIds]));
  }

  /**
   * Tells the clients that asked what is durable now: at once those that wrote something not acknowledged yet
   * (their "saved" waits on it), and the others at most every READER_ACK_MS with the latest state (they only need
   * to learn that the edits they received are safe too). Acknowledging every reader on every commit doubled what
   * the server sends in a room of 200.
   */
  acknowledge(stateVector: Uint8Array): void {
    const message = encodeAck(stateVector);
    this.#readerAck = message;
    let committed: Map<number, number> | undefined;
    for (const connection of this.connections) {
      if (!connection.awaitingAck) continue;
      connection.send(message);
      committed ??= Y.decodeStateVector(stateVector);
      if (this.#isCovered(connection, committed)) connection.awaitingAck = false;
    }
    this.#readerAckTimer ??= setTimeout(() => {
      this.#readerAckTimer = undefined;
      const latest = this.#readerAck;
      this.#readerAck = null;
      if (latest)
        for (const connection of this.connections)
          if (connection.wantsAcks && !connection.awaitingAck) connection.send(latest);
    }, READER_ACK_MS).unref();
  }

  /** The latest acknowledgement not yet sent to the readers, and when it will be. */
  #readerAck: Uint8Array | null = null;
  #readerAckTimer: NodeJS.Timeout | undefined;

  /**
   * Whether everything the connection's client wrote is in `committed`: its document client ids are the ids it
   * announces in awareness (y-websocket uses the same one). Without any, or with updates still waiting for their
   * predecessors, it keeps getting acknowledgements.
   */
  #isCovered(connection: Connection, committed: Map<number, number>): boolean {
    if (connection.clientIds.size === 0 || this.#pendingBy.has(connection)) return false;
    for (const id of connection.clientIds) if ((committed.get(id) ?? 0) < Y.getState(this.doc.store, id)) return false;
    return true;
  }

  join(socket: Socket, info: ConnectionInfo, limits: RoomLimits): Connection {
    // Each upgrade read these from the database afresh; one copy per room serves all of a person's connections.
    info.userId = this.#intern(info.userId);
    info.userName = this.#intern(info.userName);
    if (info.sessionId !== null) info.sessionId = this.#intern(info.sessionId);
    if (info.organizationId !== null) info.organizationId = this.#intern(info.organizationId);
    const connection = new Connection(socket, info, limits, this.reviewId);
    this.connections.add(connection);
    // The server starts the sync (y-websocket's server does the same), and tells who is here already.
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0)
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
    if (info.wantsAcks) connection.send(encodeAck(this.#writer.committedStateVector));
    return connection;
  }

  readonly #quota = new RoomQuota(() => {
    // The next joiner with nothing gets this same encoding.
    this.#fullState ??= encodeSyncStep2(encodeStateWithoutPending(this.doc));
    return this.#fullState.byteLength;
  });
  /** The tombstones the last refusal left, as the doc's update handler saw them. */
  #tombstoneBytes = 0;

  /** Strings of the connections' infos (people, sessions), one copy each while the room is loaded. */
  readonly #strings = new Map<string, string>();

  #intern(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** Removes a connection and the awareness states it owned. */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.#stopWaiting(connection);
    // What it left waiting for predecessors will not get them from anyone else.
    if (this.#pendingBy.has(connection)) this.#dropPending();
    if (connection.clientIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.clientIds], connection);
  }

  /** Makes every connection read-only (the review was closed). */
  makeReadOnly(): void {
    this.closed = true;
    for (const connection of this.connections) connection.readOnly = true;
  }

  /** Handles one websocket frame. Anything malformed closes this connection only. */
  receive(connection: Connection, data: Uint8Array | string): void {
    if (!this.connections.has(connection)) return;
    if (typeof data === 'string') return this.#reject(connection, CloseCode.malformed, 'Binary frames only');
    if (!connection.takeMessageToken()) return this.#reject(connection, CloseCode.tooManyMessages, 'Too many messages');
    if (connection.held) {
      if (connection.held.length >= MAX_HELD_FRAMES)
        return this.#reject(connection, CloseCode.tooManyMessages, 'Too many messages');
      connection.held.push(data);
      return;
    }
    this.#handle(connection, data);
  }

  #handle(connection: Connection, data: Uint8Array): void {
    try {
      const message = decodeClientMessage(data);
      switch (message.type) {
        case 'sync-step1': {
          // A client that has nothing (most joins) gets the whole board, encoded once per change of the board.
          if (message.stateVector.byteLength === 1 && message.stateVector[0] === 0) {
            this.#fullState ??= encodeSyncStep2(encodeStateWithoutPending(this.doc));
            connection.sendState(this.#fullState);
            return;
          }
          // Throws on a malformed state vector, before anything is sent.
          const missing = encodeStateWithoutPending(this.doc, message.stateVector);
          connection.sendState(encodeSyncStep2(missing));
          return;
        }
        case 'sync-update':
          return this.#receiveUpdate(connection, message.update, message.step2);
        case 'awareness':
          return this.#applyAwareness(connection, message.update);
        case 'query-awareness': {
          // y-websocket's clients never send it to a server (they get everyone's awareness when they join): an
          // answer is the whole room's presence, so it is given at most once per interval, and each state is small.
          if (!connection.takeAwarenessQuery(Math.floor(performance.now()))) return;
          const states = [...this.awareness.getStates().keys()];
          if (states.length > 0)
            connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
          return;
        }
        case 'auth':
          return;
      }
    } catch (error) {
      this.#rejectMalformed(connection, error);
    }
  }

  #rejectMalformed(connection: Connection, error: unknown): void {
    const reason = error instanceof MalformedMessage ? error.message : 'Malformed message';
    this.#logger.warn('sync: closing connection after a malformed message', {
      reviewId: this.reviewId,
      userId: connection.userId,
      reason,
    });
    this.#reject(connection, CloseCode.malformed, reason);
  }

  #receiveUpdate(connection: Connection, update: Uint8Array, step2: boolean): void {
    if (step2) connection.sentStep2 = true;
    if (connection.readOnly) {
      // Sync step 2 of an up-to-date client is an empty update (2 bytes); only real edits count as dropped.
      if (update.byteLength > 2) {
        connection.droppedUpdates += 1;
        this.droppedUpdates += 1;
      }
      return;
    }
    if (this.#checker.needsWorker(update)) {
      // Large: judged against the quotas (as growing the board), then decoded in the worker, under a deadline;
      // this connection's next frames wait for the verdict.
      const refusal = this.#quota.judge(connection, update.byteLength, true);
      connection.held = [];
      void this.#checker.check(update).then((verdict) => this.#afterCheck(connection, update, verdict, refusal));
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
    const verdict: PermissionVerdict = this.#judgeUpdates
      ? checkUpdatePermissions(this.doc, update, connection.writer, decoded ? { decoded } : {})
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
    if (connection.waiting && this.connections.has(connection)) {
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
      return this.#reject(connection, CloseCode.tooManyMessages, 'Too many updates waiting for what they build on');
    waiting.push(update);
    connection.waitingBytes += update.byteLength;
    if (this.#waitTimers.has(connection)) return;
    const timer = setTimeout(() => {
      this.#waitTimers.delete(connection);
      if (connection.waiting)
        this.#reject(connection, CloseCode.malformed, 'Update depends on changes the server does not have');
    }, PENDING_GRACE_MS);
    this.#waitTimers.set(connection, timer);
  }

  readonly #waitTimers = new Map<Connection, NodeJS.Timeout>();

  #stopWaiting(connection: Connection): void {
    connection.waiting = null;
    connection.waitingBytes = 0;
    clearTimeout(this.#waitTimers.get(connection));
    this.#waitTimers.delete(connection);
  }

  #afterCheck(connection: Connection, update: Uint8Array, verdict: Verdict, refusal: RefusalReason | null): void {
    const held = connection.held ?? [];
    connection.held = null;
    if (!this.connections.has(connection)) return;
    if (verdict === 'unavailable') return this.#reject(connection, CloseCode.unavailable, 'Server shutting down');
    if (verdict === 'too-costly') return this.#reject(connection, CloseCode.malformed, 'Update too costly to decode');
    try {
      if (verdict === 'malformed') throw new MalformedMessage('Malformed document update');
      // A read-only connection now (demoted while it waited) has its update dropped like any other.
      if (connection.readOnly) {
        connection.droppedUpdates += 1;
        this.droppedUpdates += 1;
      } else this.#admit(connection, update, undefined, refusal);
    } catch (error) {
      return this.#rejectMalformed(connection, error);
    }
    for (const [index, frame] of held.entries()) {
      if (!this.connections.has(connection)) return;
      // Another large update among them: the rest waits for its verdict in turn.
      if (connection.holding()) {
        connection.held!.push(...held.slice(index));
        return;
      }
      this.#handle(connection, frame);
    }
  }

  #integrate(connection: Connection, update: Uint8Array): void {
    // Every client syncs through this server, so once a client has answered the server's sync step 1, an honest
    // update of it never depends on changes the server lacks. One that does (forged or mangled) would sit in the
    // document as pending structs and reach every joiner, breaking their boards: the integrable part is kept, the
    // rest dropped and the sender closed. Before its step 2, a client gets a short grace for the predecessors.
    const store = this.doc.store;
    const hadPending = store.pendingStructs !== null || store.pendingDs !== null;
    Y.applyUpdate(this.doc, update, connection);
    if (connection.wantsAcks) connection.awaitingAck = true;
    if (store.pendingStructs === null && store.pendingDs === null) return this.#settlePending();
    if (!hadPending) this.#pendingBy.add(connection);
    if (!this.#pendingBy.has(connection)) return;
    if (connection.sentStep2) {
      this.#dropPending();
      throw new MalformedMessage('Update depends on changes the server does not have');
    }
    this.#pendingTimer ??= setTimeout(() => {
      for (const waiting of [...this.#pendingBy])
        this.#reject(waiting, CloseCode.malformed, 'Update depends on changes the server does not have');
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
    const store = this.doc.store;
    // Another update waiting for predecessors might complete with this one's structs, content and all.
    if (store.pendingStructs !== null || store.pendingDs !== null)
      return this.#reject(connection, CloseCode.tryAgainLater, 'Board busy; reconnecting');
    this.#tombstoneBytes = 0;
    applyAsDeleted(this.doc, update, REFUSED_ORIGIN, why.kind === 'permission' ? why.verdict.restore : []);
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // It builds on changes the server lacks: the client sends them again with this one when it reconnects.
      this.#dropPending();
      return this.#reject(connection, CloseCode.tryAgainLater, 'Update depends on changes the server does not have');
    }
    this.refusedUpdates += 1;
    if (why.kind === 'permission') this.forbiddenUpdates += 1;
    connection.spendUpdateBytes(this.#tombstoneBytes);
    this.#quota.overdraw(this.#tombstoneBytes);
    this.#logger.info(
      why.kind === 'quota' ? 'sync: refused an update over a quota' : 'sync: refused an update the writer may not make',
      {
        reviewId: this.reviewId,
        userId: connection.userId,
        reason: why.kind === 'quota' ? why.reason : why.verdict.refused.map((write) => `${write.write} ${write.path}`),
        bytes: update.byteLength,
        tombstoneBytes: this.#tombstoneBytes,
      },
    );
    if (connection.overdrawn) return this.#reject(connection, CloseCode.tooManyMessages, 'Too many refused updates');
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

  /** Connections whose updates wait for predecessors, and the deadline for them. */
  readonly #pendingBy = new Set<Connection>();
  #pendingTimer: NodeJS.Timeout | undefined;

  /** Everything that waited is integrated now. */
  #settlePending(): void {
    clearTimeout(this.#pendingTimer);
    this.#pendingTimer = undefined;
    this.#pendingBy.clear();
  }

  #dropPending(): void {
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    this.#settlePending();
  }

  /**
   * Awareness entries are bound to the connection that first announces their client id; entries for ids owned
   * by another user's connection are dropped, and each state is stamped with the authenticated user.
   */
  #applyAwareness(connection: Connection, update: Uint8Array): void {
    // Charged as sent (fields that are dropped count too); beyond its budget, a connection's awareness is ignored
    // until its next change or y-protocols' renewal (every 15 seconds).
    if (!connection.takeAwarenessBytes(update.byteLength, Math.floor(performance.now()))) return;
    const entries = decodeAwarenessUpdate(update, AWARENESS_LIMITS.rawStateChars);
    const accepted = [];
    for (const entry of entries) {
      if (
        entry.state !== null &&
        !connection.clientIds.has(entry.clientId) &&
        connection.clientIds.size >= AWARENESS_LIMITS.clientIdsPerConnection
      )
        continue;
      const owner = this.#ownerOf(entry.clientId);
      if (owner && owner !== connection) {
        // The same person reconnecting (their old socket not yet noticed as dead) takes their id along;
        // anyone else's claim on it is ignored.
        if (owner.userId !== connection.userId) continue;
        owner.clientIds.delete(entry.clientId);
      }
      if (!owner && entry.state === null) continue;
      connection.clientIds.add(entry.clientId);
      accepted.push({
        ...entry,
        state:
          entry.state === null
            ? null
            : sanitizeAwarenessState(entry.state, {
                userId: connection.userId,
                userName: connection.userName,
                readOnly: connection.readOnly,
              }),
      });
      if (entry.state === null) connection.clientIds.delete(entry.clientId);
    }
    if (accepted.length > 0)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), connection);
  }

  #ownerOf(clientId: number): Connection | undefined {
    for (const connection of this.connections) if (connection.clientIds.has(clientId)) return connection;
    return undefined;
  }

  #reject(connection: Connection, code: number, reason: string): void {
    this.leave(connection);
    if (connection.socket.readyState === OPEN) connection.socket.close(code, reason);
  }

  destroy(): void {
    clearTimeout(this.#pendingTimer);
    for (const timer of this.#waitTimers.values()) clearTimeout(timer);
    clearTimeout(this.#readerAckTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
