// One live review board in memory: its Y.Doc, the awareness of who is present, and the connections, wired to the
// sink that makes every update durable. Messages from one connection never affect another connection except
// through valid document and awareness updates, and what one connection can make the server hold or send is
// bounded: messages per second, update bytes per minute (per connection and per room) and the board's size,
// awareness bytes per second and a few small states, query answers, and what waits unsent on its socket.
// This file holds the connections and the broadcast; whether an update goes in is update-admission.ts, who is
// present room-presence.ts, and what is durable board-sink.ts and acknowledgements.ts. The message flow is
// described in protocol.ts.
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { Acknowledgements } from './acknowledgements.ts';
import type { BoardSink } from './board-sink.ts';
import { encodeStateWithoutPending } from './board-sink.ts';
import { Connection, type ConnectionInfo, type RoomLimits, type Socket } from './connection.ts';
import { authorOf, isRemote, type AwarenessOrigin, type RoomOrigin } from './origins.ts';
import {
  CloseCode,
  decodeClientMessage,
  encodeAck,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MalformedMessage,
} from './protocol.ts';
import { applyClientAwareness, encodeEveryone, encodeLocal, hasRemoteUser } from './room-presence.ts';
import type { UpdateChecker } from './update-check.ts';
import { MAX_HELD_FRAMES, UpdateAdmission, type AdmissionRoom } from './update-admission.ts';

const OPEN = 1;

/** `#sender` when the updates of a turn came from more than one origin. */
const SEVERAL = Symbol('several senders');

export class Room implements AdmissionRoom {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** The review was closed while the room was loaded. */
  closed = false;
  #writer!: BoardSink;
  readonly logger: Logger;
  readonly #admission: UpdateAdmission;
  readonly #acks: Acknowledgements;

  constructor(
    readonly reviewId: string,
    doc: Y.Doc,
    logger: Logger,
    checker: UpdateChecker,
    judgeUpdates = true,
  ) {
    this.doc = doc;
    this.logger = logger;
    this.#admission = new UpdateAdmission(this, checker, judgeUpdates);
    this.#acks = new Acknowledgements(doc, this.connections, this.#admission);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant.
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: AwarenessOrigin,
      ) => {
        const changes = (this.#awarenessChanges ??= new Set());
        for (const id of added) changes.add(id);
        for (const id of updated) changes.add(id);
        for (const id of removed) changes.add(id);
        // Changes of this process's own clients also go to the other processes (with REDIS_URL), in the same turn.
        if (!isRemote(origin) && this.#writer?.publishAwareness) {
          const toPublish = (this.#awarenessToPublish ??= new Set());
          for (const id of [...added, ...updated, ...removed]) toPublish.add(id);
        }
        if (changes.size > 0) this.#scheduleBroadcast();
      },
    );
    doc.on('update', (update: Uint8Array, origin: RoomOrigin) => {
      // Another process logs its own updates.
      if (!isRemote(origin)) this.#writer.enqueue({ update, authorId: authorOf(origin), at: new Date() });
      this.#admission.applied(update, origin);
      this.#fullState = null;
      this.#updates.push(update);
      this.#sender = this.#updates.length === 1 || this.#sender === origin ? origin : SEVERAL;
      this.#scheduleBroadcast();
    });
  }

  /** Document updates dropped from read-only connections, for the room's counters. */
  get droppedUpdates(): number {
    return this.#admission.droppedUpdates;
  }

  /** Document updates refused, over a quota or against the permissions (undone by tombstones), likewise. */
  get refusedUpdates(): number {
    return this.#admission.refusedUpdates;
  }

  /** Of those, the ones with a write the writer may not make. */
  get forbiddenUpdates(): number {
    return this.#admission.forbiddenUpdates;
  }

  // Broadcasts are coalesced per event-loop turn: the updates of a turn are merged and encoded once, and the
  // same buffer goes to every connection; awareness changes likewise. Persistence never delays them.
  #updates: Uint8Array[] = [];
  /** Sync step 2 with the whole board, for clients that join with nothing; dropped on every change. */
  #fullState: Uint8Array | null = null;
  /** The origin of this turn's updates, if they all have the same one. */
  #sender: RoomOrigin | typeof SEVERAL | null = null;
  /** Created when needed, dropped once broadcast (most rooms are quiet most of the time). */
  #awarenessChanges: Set<number> | null = null;
  #awarenessToPublish: Set<number> | null = null;
  #broadcastScheduled = false;

  /** The whole board as a sync step 2, for clients that join with nothing. */
  fullState(): Uint8Array {
    return (this.#fullState ??= encodeSyncStep2(encodeStateWithoutPending(this.doc)));
  }

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
      const sender = this.#sender === SEVERAL || this.#sender === null ? undefined : this.#sender;
      this.#updates = [];
      this.#sender = null;
      if (this.connections.size > 0) {
        const message = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
        for (const connection of this.connections) if (connection !== sender) connection.send(message);
      }
    }
    if (this.#awarenessChanges) {
      const changed = [...this.#awarenessChanges];
      this.#awarenessChanges = null;
      if (this.connections.size > 0) {
        const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
        for (const connection of this.connections) connection.send(message);
      }
    }
    if (this.#awarenessToPublish) {
      const mine = [...this.#awarenessToPublish];
      this.#awarenessToPublish = null;
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
    return encodeLocal(this.awareness, this.connections);
  }

  /** Whether the user is here through another process (their awareness came from there). */
  hasRemoteUser(userId: string): boolean {
    return hasRemoteUser(this.awareness, this.connections, userId);
  }

  /** Everything up to `stateVector` is committed: tells the clients that asked (acknowledgements.ts). */
  acknowledge(stateVector: Uint8Array): void {
    this.#acks.acknowledge(stateVector);
  }

  join(socket: Socket, info: ConnectionInfo, limits: RoomLimits): Connection {
    // Each upgrade read these from the database afresh; one copy per room serves all of a person's connections.
    for (const other of this.connections) {
      if (other.organizationId === info.organizationId) info.organizationId = other.organizationId;
      if (other.userId !== info.userId) continue;
      info.userId = other.userId;
      info.userName = other.userName === info.userName ? other.userName : info.userName;
      if (other.sessionId === info.sessionId) info.sessionId = other.sessionId;
    }
    const connection = new Connection(socket, info, limits, this.reviewId);
    this.connections.add(connection);
    // The server starts the sync (y-websocket's server does the same), and tells who is here already.
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const everyone = encodeEveryone(this.awareness);
    if (everyone) connection.send(encodeAwareness(everyone));
    if (info.wantsAcks) connection.send(encodeAck(this.#writer.committedStateVector));
    return connection;
  }

  /** Removes a connection and the awareness states it owned. */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.#admission.leave(connection);
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
    if (typeof data === 'string') return this.reject(connection, CloseCode.malformed, 'Binary frames only');
    if (!connection.takeMessageToken()) return this.reject(connection, CloseCode.tooManyMessages, 'Too many messages');
    if (connection.held) {
      if (connection.held.length >= MAX_HELD_FRAMES)
        return this.reject(connection, CloseCode.tooManyMessages, 'Too many messages');
      connection.held.push(data);
      return;
    }
    this.handleHeld(connection, data);
  }

  /** Handles one frame that passed the connection's limits (now, or after waiting for a large update's verdict). */
  handleHeld(connection: Connection, data: Uint8Array): void {
    try {
      const message = decodeClientMessage(data);
      switch (message.type) {
        case 'sync-step1': {
          // A client that has nothing (most joins) gets the whole board, encoded once per change of the board.
          if (message.stateVector.byteLength === 1 && message.stateVector[0] === 0) {
            connection.sendState(this.fullState());
            return;
          }
          // Throws on a malformed state vector, before anything is sent.
          const missing = encodeStateWithoutPending(this.doc, message.stateVector);
          connection.sendState(encodeSyncStep2(missing));
          return;
        }
        case 'sync-update':
          return this.#admission.receive(connection, message.update, message.step2);
        case 'awareness':
          return applyClientAwareness(this.awareness, this.connections, connection, message.update);
        case 'query-awareness': {
          // y-websocket's clients never send it to a server (they get everyone's awareness when they join): an
          // answer is the whole room's presence, so it is given at most once per interval, and each state is small.
          if (!connection.takeAwarenessQuery(Math.floor(performance.now()))) return;
          const everyone = encodeEveryone(this.awareness);
          if (everyone) connection.send(encodeAwareness(everyone));
          return;
        }
        case 'auth':
          return;
      }
    } catch (error) {
      this.rejectMalformed(connection, error);
    }
  }

  rejectMalformed(connection: Connection, error: unknown): void {
    const reason = error instanceof MalformedMessage ? error.message : 'Malformed message';
    this.logger.warn('sync: closing connection after a malformed message', {
      reviewId: this.reviewId,
      userId: connection.userId,
      reason,
    });
    this.reject(connection, CloseCode.malformed, reason);
  }

  /** Closes the connection, after it leaves the room. */
  reject(connection: Connection, code: number, reason: string): void {
    this.leave(connection);
    if (connection.socket.readyState === OPEN) connection.socket.close(code, reason);
  }

  destroy(): void {
    this.#admission.destroy();
    this.#acks.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
