// The live rooms of this process, the sync engine's one object per server: a room is loaded from PostgreSQL on
// first use, fully before any client is answered (room-loader.ts: a failed load creates nothing, so an empty
// document can never overwrite a stored board), and unloaded once its last client has left and everything is
// committed. Rooms also keeps open connections in step with rights changed in the store (room-rights.ts), in every
// process with Redis, and owns this server's open sockets (open-sockets.ts); close() disposes of all of it. It
// stays one class of about 340 lines: loading, reservations, unloading and shutdown share one map of rooms and one
// closing flag, and what else it does is a few lines each on top of them.
import type * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import type { RoomRole } from '../domain/board.ts';
import { logFailure, type Logger } from '../logger.ts';
import { appendReviewEvent } from '../store/review-events.ts';
import { findSessionExpiries } from '../store/sessions.ts';
import {
  DEFAULT_ROOM_LIMITS,
  type Connection,
  type ConnectionInfo,
  type RoomLimits,
  type Socket,
} from './connection.ts';
import { DEFAULT_KEEPALIVE_MS, OpenSockets, type Reservation } from './open-sockets.ts';
import { SERVER_ORIGIN } from './origins.ts';
import { CloseCode } from './protocol.ts';
import type { ControlMessage, DisconnectTarget, RedisHub } from './redis-hub.ts';
import { BoardCommitter } from './board-committer.ts';
import { loadRoom } from './room-loader.ts';
import { applyRoomRole, closeConnectionsOf } from './room-rights.ts';
import type { Room } from './room.ts';
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

export const DEFAULT_FLUSH_DELAY_MS = 5;
export const DEFAULT_SNAPSHOT_EVERY = 500;

export class Rooms {
  readonly #loading = new Map<string, Promise<Entry>>();
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<Omit<RoomsOptions, 'limits' | 'hub' | 'updateCheck'>> & { limits: RoomLimits };
  readonly #checker: UpdateChecker;
  readonly #committer: BoardCommitter;
  #sessionCheck: NodeJS.Timeout;
  readonly #hub: RedisHub | undefined;
  #closing = false;
  readonly #presenceWrites = new Set<Promise<unknown>>();
  #tending: NodeJS.Timeout | undefined;
  /** After a room's commit (one function for all rooms): it may unload now. */
  readonly #afterCommit = (reviewId: string) => this.#unloadIfIdle(reviewId);
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
    this.#committer = new BoardCommitter(this.#options.sql, this.#options.flushDelayMs);
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

  /** Statements the process's board writer has committed, for all rooms together (board-committer.ts). */
  get boardCommits(): number {
    return this.#committer.commits;
  }

  /** Loaded rooms, by review id. */
  get loaded(): ReadonlyMap<string, Room> {
    return new Map([...this.#entries].map(([id, entry]) => [id, entry.room]));
  }

  #load(reviewId: string): Promise<Entry> {
    const existing = this.#loading.get(reviewId);
    if (existing) return existing;
    const loading = (async () => {
      const room = await loadRoom(
        { ...this.#options, checker: this.#checker, hub: this.#hub, committer: this.#committer },
        reviewId,
        this.#afterCommit,
      );
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
    return closeConnectionsOf(
      [...this.#entries.values()].map(({ room }) => room),
      target,
      code,
      reason,
    );
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
    if (room) applyRoomRole(room, userId, role, readOnly);
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
    this.#committer.stop();
    this.#entries.clear();
    await Promise.allSettled([...this.#presenceWrites]);
  }
}
