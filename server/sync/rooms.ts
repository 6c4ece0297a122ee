// The live rooms of this process: a room is loaded from PostgreSQL (latest snapshot plus the tail) on first use,
// fully before any client is answered, and unloaded once its last client has left and everything is committed.
// A failed load creates nothing, so an empty document can never overwrite a stored board.
import * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import { logFailure, type Logger } from '../logger.ts';
import { DEFAULT_UPDATE_QUOTAS } from '../domain/update-quota.ts';
import { loadBoard } from '../store/board-log.ts';
import { findSessionExpiries } from '../store/sessions.ts';
import { appendReviewEvent } from '../store/reviews.ts';
import * as awarenessProtocol from 'y-protocols/awareness';
import { BoardWriter } from './board-writer.ts';
import { CloseCode } from './protocol.ts';
import type { RoomRole } from '../domain/board.ts';
import type { ControlMessage, DisconnectTarget, RedisHub } from './redis-hub.ts';
import { LOAD_ORIGIN, REMOTE_ORIGIN, SERVER_ORIGIN } from './origins.ts';
import { Room, type Connection, type ConnectionInfo, type RoomLimits, type Socket } from './room.ts';
import { DEFAULT_KEEPALIVE_MS, OpenSockets, type Reservation } from './open-sockets.ts';
import { SharedBoard } from './shared-board.ts';
import { DEFAULT_UPDATE_CHECK, UpdateChecker, type UpdateCheckOptions } from './update-check.ts';

export interface RoomsOptions {
  sql: Sql;
  logger: Logger;
  flushDelayMs?: number;
  snapshotEvery?: number;
  limits?: Partial<RoomLimits>;
  /** How long an authorized upgrade may take to open its socket before its reservation lapses. */
  reservationMs?: number;
  /** Several processes serve the same reviews through this Redis (connected already). */
  hub?: RedisHub;
  /** How often open sockets are checked for sessions that expired meanwhile. */
  sessionCheckMs?: number;
  /** How often open sockets are pinged; one that did not answer the previous ping is dropped. */
  keepaliveMs?: number;
  /** Large updates are decoded in a worker under a deadline (update-check.ts). */
  updateCheck?: Partial<Omit<UpdateCheckOptions, 'logger'>>;
  /**
   * Judge each client update by the board's permission table (default true). Only the benchmark turns it off, to
   * measure what the check costs; no environment variable or configuration reaches it.
   */
  judgeUpdates?: boolean;
  now?: () => Date;
}

interface Entry {
  room: Room;
  /** Upgrades authorized for this room whose socket is not open yet: the room must not unload under them. */
  reservations: number;
}

/**
 * What one connection may send and make the server hold. A person's browser stays far below each: it sends a few
 * awareness changes a second of a few hundred bytes, never asks for awareness, and reads what it is sent.
 */
export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  messagesPerSecond: 200,
  messageBurst: 500,
  ...DEFAULT_UPDATE_QUOTAS,
  awarenessBytesPerSecond: 16 * 1024,
  awarenessBurstBytes: 64 * 1024,
  queryAwarenessIntervalMs: 1_000,
  maxBufferedBytes: 16 * 1024 * 1024,
};

export const DEFAULT_FLUSH_DELAY_MS = 5;
export const DEFAULT_SNAPSHOT_EVERY = 500;

export class Rooms {
  readonly #loading = new Map<string, Promise<Entry>>();
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<Omit<RoomsOptions, 'limits' | 'hub' | 'updateCheck'>> & { limits: RoomLimits };
  readonly #checker: UpdateChecker;
  #sessionCheck: NodeJS.Timeout;
  readonly #hub: RedisHub | undefined;
  #closing = false;
  readonly #presenceWrites = new Set<Promise<unknown>>();
  #tending: NodeJS.Timeout | undefined;
  /** This server's open websockets and their keepalive. */
  readonly sockets: OpenSockets;

  constructor(options: RoomsOptions) {
    this.#options = {
      flushDelayMs: DEFAULT_FLUSH_DELAY_MS,
      snapshotEvery: DEFAULT_SNAPSHOT_EVERY,
      reservationMs: 10_000,
      sessionCheckMs: 60_000,
      keepaliveMs: DEFAULT_KEEPALIVE_MS,
      now: () => new Date(),
      ...options,
      // Only an explicit false turns it off (not a missing or undefined value).
      judgeUpdates: options.judgeUpdates !== false,
      limits: { ...DEFAULT_ROOM_LIMITS, ...options.limits },
    };
    this.#hub = options.hub;
    this.sockets = new OpenSockets(this, this.#options.keepaliveMs);
    this.#checker = new UpdateChecker({ ...DEFAULT_UPDATE_CHECK, ...options.updateCheck, logger: options.logger });
    this.#sessionCheck = setInterval(() => {
      this.closeExpiredSessions().catch((error: unknown) =>
        this.#options.logger.warn('could not check the sessions of open sockets', { error: String(error) }),
      );
    }, this.#options.sessionCheckMs);
    this.#sessionCheck.unref();
    if (this.#hub) {
      this.#hub.onControl((message) => this.#applyControl(message));
      // Every loaded room keeps (or takes over) its owner lease; an owner that died is replaced within seconds.
      this.#tending = setInterval(() => {
        for (const { room } of this.#entries.values()) if (room.writer instanceof SharedBoard) void room.writer.tend();
      }, 1_000);
      this.#tending.unref();
    }
  }

  /** Loaded rooms, by review id. */
  get loaded(): ReadonlyMap<string, Room> {
    return new Map([...this.#entries].map(([id, entry]) => [id, entry.room]));
  }

  #load(reviewId: string): Promise<Entry> {
    const existing = this.#loading.get(reviewId);
    if (existing) return existing;
    const loading = (async () => {
      const stored = await loadBoard(this.#options.sql, reviewId);
      const doc = new Y.Doc();
      // One transaction, before the room exists: no update event, nothing re-logged.
      doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state, LOAD_ORIGIN);
        for (const { update } of stored.tail) Y.applyUpdate(doc, update, LOAD_ORIGIN);
      }, LOAD_ORIGIN);
      const room = new Room(reviewId, doc, this.#options.logger, this.#checker, this.#options.judgeUpdates);
      const sink = {
        sql: this.#options.sql,
        reviewId,
        doc,
        logger: this.#options.logger,
        flushDelayMs: this.#options.flushDelayMs,
        snapshotEvery: this.#options.snapshotEvery,
        updatesSinceSnapshot: stored.tail.length,
        onCommitted: (stateVector: Uint8Array) => {
          room.acknowledge(stateVector);
          this.#unloadIfIdle(reviewId);
        },
      };
      if (this.#hub) {
        const board = new SharedBoard({
          ...sink,
          hub: this.#hub,
          cursor: stored.streamCursor,
          onAwareness: (update) => awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE_ORIGIN),
          localAwareness: () => room.localAwareness(),
        });
        room.attachWriter(board);
        try {
          await board.start();
        } catch (error) {
          board.stop();
          room.destroy();
          throw error;
        }
      } else {
        room.attachWriter(new BoardWriter(sink));
      }
      const entry: Entry = { room, reservations: 0 };
      this.#entries.set(reviewId, entry);
      return entry;
    })();
    this.#loading.set(reviewId, loading);
    // A failed load is forgotten, so the next attempt reads the database again.
    loading.then(
      () => this.#loading.delete(reviewId),
      () => this.#loading.delete(reviewId),
    );
    return loading;
  }

  /**
   * Loads the room (if needed) and holds it for a connection that is about to open. Call `join` from the
   * socket's open handler; the reservation lapses by itself if the socket never opens.
   */
  async reserve(reviewId: string): Promise<Reservation> {
    if (this.#closing) throw new Error('Shutting down');
    const entry = this.#entries.get(reviewId) ?? (await this.#load(reviewId));
    entry.reservations += 1;
    let settled = false;
    const release = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      entry.reservations -= 1;
      return true;
    };
    const timer = setTimeout(() => {
      if (release()) this.#unloadIfIdle(reviewId);
    }, this.#options.reservationMs);
    return {
      join: (socket: Socket, info: ConnectionInfo) => {
        if (!release() || this.#entries.get(reviewId) !== entry) {
          socket.close(CloseCode.unavailable, 'Room is not available, reconnect');
          return undefined;
        }
        const first = !this.isPresent(reviewId, info.userId);
        const connection = entry.room.join(socket, info, this.#options.limits);
        if (connection && first) this.#logPresence(reviewId, info.userId, 'room.joined');
        return connection;
      },
    };
  }

  /** Who was in the room when, for replay: a person joins with their first connection and leaves with the last. */
  #logPresence(reviewId: string, userId: string, kind: 'room.joined' | 'room.left'): void {
    const write = appendReviewEvent(this.#options.sql, reviewId, { kind, actorId: userId, at: new Date() })
      .catch((error: unknown) =>
        this.#options.logger.warn('could not log presence', { reviewId, kind, error: String(error) }),
      )
      .finally(() => this.#presenceWrites.delete(write));
    this.#presenceWrites.add(write);
  }

  /**
   * Closes every open connection of a signed-out session, a user or a removed member, across all rooms (and,
   * with several processes, in every process); returns how many were open here. Their clients reconnect, and
   * are refused or given their new rights at the upgrade.
   */
  disconnect(target: DisconnectTarget, code: number, reason: string): number {
    this.#broadcastControl({ kind: 'disconnect', target, code, reason });
    return this.#disconnectHere(target, code, reason);
  }

  #disconnectHere(target: DisconnectTarget, code: number, reason: string): number {
    const match = (info: ConnectionInfo) =>
      'sessionId' in target
        ? info.sessionId === target.sessionId
        : info.userId === target.userId &&
          (!('organizationId' in target) || info.organizationId === target.organizationId);
    let closed = 0;
    for (const { room } of this.#entries.values())
      for (const connection of room.connections)
        if (match(connection)) {
          connection.socket.close(code, reason);
          closed += 1;
        }
    return closed;
  }

  /** A frame from a connection of a loaded room. */
  receive(reviewId: string, connection: Connection, data: Uint8Array | string): void {
    this.#entries.get(reviewId)?.room.receive(connection, data);
  }

  /** The socket closed: the connection leaves, and the room unloads once idle. */
  leave(reviewId: string, connection: Connection): void {
    const entry = this.#entries.get(reviewId);
    if (!entry) return;
    const wasPresent = entry.room.connections.has(connection);
    entry.room.leave(connection);
    if (wasPresent && !this.isPresent(reviewId, connection.userId))
      this.#logPresence(reviewId, connection.userId, 'room.left');
    if (entry.room.connections.size === 0) {
      // Commit what is queued now rather than after the group-commit delay; onCommitted unloads the room.
      entry.room.writer
        .drain()
        .catch(logFailure(this.#options.logger, 'could not commit a room its last client left', { reviewId }));
      this.#unloadIfIdle(reviewId);
    }
  }

  #unloadIfIdle(reviewId: string): void {
    const entry = this.#entries.get(reviewId);
    if (!entry || this.#closing) return;
    if (entry.room.connections.size > 0 || entry.reservations > 0 || !entry.room.writer.idle) return;
    this.#entries.delete(reviewId);
    entry.room.writer.stop();
    entry.room.destroy();
  }

  /**
   * Edits a board as the server (author null in the log), live if the room is loaded, else by loading it for
   * the edit; resolves once the edit is committed.
   */
  async edit(reviewId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const entry = this.#entries.get(reviewId) ?? (await this.#load(reviewId));
    entry.reservations += 1;
    try {
      entry.room.doc.transact(() => change(entry.room.doc), SERVER_ORIGIN);
      await entry.room.writer.drain();
    } finally {
      entry.reservations -= 1;
      this.#unloadIfIdle(reviewId);
    }
  }

  /**
   * Closes (4401) the sockets whose session has expired since they opened; a session renewed meanwhile (the
   * person kept using the app) keeps its sockets. Runs every `sessionCheckMs`; returns how many closed.
   */
  async closeExpiredSessions(): Promise<number> {
    const now = this.#options.now().getTime();
    const due = [...this.#entries.values()].flatMap(({ room }) =>
      [...room.connections].filter(({ sessionExpiresAt }) => sessionExpiresAt !== null && sessionExpiresAt <= now),
    );
    if (due.length === 0) return 0;
    const expiries = await findSessionExpiries(this.#options.sql, [...new Set(due.map(({ sessionId }) => sessionId!))]);
    let closed = 0;
    for (const connection of due) {
      const expiresAt = expiries.get(connection.sessionId!)?.getTime();
      if (expiresAt !== undefined && expiresAt > now) {
        connection.sessionExpiresAt = expiresAt;
        continue;
      }
      connection.socket.close(CloseCode.unauthorized, 'Your session expired; sign in again');
      closed += 1;
    }
    return closed;
  }

  /** Whether a user is in the review's room: connected to this process, or (as far as it knows) to another. */
  isPresent(reviewId: string, userId: string): boolean {
    const room = this.#entries.get(reviewId)?.room;
    if (!room) return false;
    return (
      [...room.connections].some((connection) => connection.userId === userId) ||
      (this.#hub !== undefined && room.hasRemoteUser(userId))
    );
  }

  #broadcastControl(message: ControlMessage): void {
    this.#hub
      ?.control(message)
      .catch((error: unknown) =>
        this.#options.logger.error('could not reach the other processes', { kind: message.kind, error: String(error) }),
      );
  }

  #applyControl(message: ControlMessage): void {
    switch (message.kind) {
      case 'disconnect':
        this.#disconnectHere(message.target, message.code, message.reason);
        return;
      case 'room-role':
        this.#setRoomRoleHere(message.reviewId, message.userId, message.role, message.readOnly);
        return;
      case 'review-closed':
        this.#entries.get(message.reviewId)?.room.makeReadOnly();
        return;
    }
  }

  /**
   * A user's room role changed: their open connections follow (a closed review stays read-only), and the board's
   * permissions judge their next updates by it. A new facilitator's predecessor is an owner now (as in the store).
   */
  setRoomRole(reviewId: string, userId: string, role: RoomRole, readOnly: boolean): void {
    this.#broadcastControl({ kind: 'room-role', reviewId, userId, role, readOnly });
    this.#setRoomRoleHere(reviewId, userId, role, readOnly);
  }

  #setRoomRoleHere(reviewId: string, userId: string, role: RoomRole, readOnly: boolean): void {
    const room = this.#entries.get(reviewId)?.room;
    if (!room) return;
    for (const connection of room.connections) {
      if (connection.userId !== userId) {
        if (role === 'facilitator' && connection.roomRole === 'facilitator') connection.roomRole = 'owner';
        continue;
      }
      connection.roomRole = role;
      if (room.closed || connection.readOnly === readOnly) continue;
      if (readOnly) {
        // Takes effect on the next message: from now on its updates are dropped.
        connection.readOnly = true;
      } else {
        // Edits it made while read-only were dropped, and its later updates build on them (Yjs would hold them
        // back forever), so it reconnects and syncs afresh with its new rights.
        connection.socket.close(CloseCode.rightsChanged, 'Your role changed; reconnecting');
      }
    }
  }

  /** A review was closed: everyone in its room becomes read-only. */
  makeReadOnly(reviewId: string): void {
    this.#broadcastControl({ kind: 'review-closed', reviewId });
    this.#entries.get(reviewId)?.room.makeReadOnly();
  }

  /** Closes every connection and commits everything pending (on shutdown). */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closing = true;
    clearInterval(this.#tending);
    clearInterval(this.#sessionCheck);
    this.sockets.dispose();
    await Promise.allSettled(this.#loading.values());
    const entries = [...this.#entries.values()];
    for (const { room } of entries)
      for (const connection of room.connections) connection.socket.close(CloseCode.goingAway, 'Server shutting down');
    await this.#checker.close();
    const results = await Promise.allSettled(entries.map(({ room }) => room.writer.drain(timeoutMs)));
    for (const result of results)
      if (result.status === 'rejected')
        this.#options.logger.error('sync: unsaved board at shutdown', { error: String(result.reason) });
    for (const { room } of entries) {
      room.writer.stop();
      room.destroy();
    }
    this.#entries.clear();
    await Promise.allSettled([...this.#presenceWrites]);
  }
}
