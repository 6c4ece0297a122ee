// The live rooms of this process: a room is loaded from PostgreSQL (latest snapshot plus the tail) on first use,
// fully before any client is answered, and unloaded once its last client has left and everything is committed.
// A failed load creates nothing, so an empty document can never overwrite a stored board.
import * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { loadBoard } from '../store/board-log.ts';
import { appendReviewEvent } from '../store/reviews.ts';
import { BoardWriter } from './board-writer.ts';
import { CloseCode } from './protocol.ts';
import { Room, SERVER_ORIGIN, type Connection, type ConnectionInfo, type RoomLimits, type Socket } from './room.ts';

export interface RoomsOptions {
  sql: Sql;
  logger: Logger;
  flushDelayMs?: number;
  snapshotEvery?: number;
  limits?: Partial<RoomLimits>;
  /** How long an authorized upgrade may take to open its socket before its reservation lapses. */
  reservationMs?: number;
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
  readonly #options: Required<Omit<RoomsOptions, 'limits'>> & { limits: RoomLimits };
  #closing = false;
  readonly #presenceWrites = new Set<Promise<unknown>>();

  constructor(options: RoomsOptions) {
    this.#options = {
      flushDelayMs: DEFAULT_FLUSH_DELAY_MS,
      snapshotEvery: DEFAULT_SNAPSHOT_EVERY,
      reservationMs: 10_000,
      ...options,
      limits: { messagesPerSecond: 200, messageBurst: 500, ...options.limits },
    };
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
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
        for (const { update } of stored.tail) Y.applyUpdate(doc, update);
      });
      const room = new Room(reviewId, doc, this.#options.logger);
      room.attachWriter(
        new BoardWriter({
          sql: this.#options.sql,
          reviewId,
          doc,
          logger: this.#options.logger,
          flushDelayMs: this.#options.flushDelayMs,
          snapshotEvery: this.#options.snapshotEvery,
          updatesSinceSnapshot: stored.tail.length,
          onCommitted: (stateVector) => {
            room.acknowledge(stateVector);
            this.#unloadIfIdle(reviewId);
          },
        }),
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
   * Closes every open connection `match` picks (a signed-out session, a removed member), across all rooms;
   * returns how many. Their clients reconnect, and are refused or given their new rights at the upgrade.
   */
  disconnect(match: (info: ConnectionInfo) => boolean, code: number, reason: string): number {
    let closed = 0;
    for (const { room } of this.#entries.values())
      for (const connection of room.connections)
        if (match(connection.info)) {
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
    if (wasPresent && !this.isPresent(reviewId, connection.info.userId))
      this.#logPresence(reviewId, connection.info.userId, 'room.left');
    if (entry.room.connections.size === 0) {
      // Commit what is queued now rather than after the group-commit delay; onCommitted unloads the room.
      entry.room.writer.drain().catch(() => {});
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

  /** Whether a user has a connection in the review's room in this process. */
  isPresent(reviewId: string, userId: string): boolean {
    const room = this.#entries.get(reviewId)?.room;
    return room ? [...room.connections].some((connection) => connection.info.userId === userId) : false;
  }

  /** A user's room role changed: their open connections follow (a closed review stays read-only). */
  setReadOnly(reviewId: string, userId: string, readOnly: boolean): void {
    const room = this.#entries.get(reviewId)?.room;
    if (!room || room.closed) return;
    for (const connection of room.connections) {
      if (connection.info.userId !== userId || connection.info.readOnly === readOnly) continue;
      if (readOnly) {
        // Takes effect on the next message: from now on its updates are dropped.
        connection.info.readOnly = true;
      } else {
        // Edits it made while read-only were dropped, and its later updates build on them (Yjs would hold them
        // back forever), so it reconnects and syncs afresh with its new rights.
        connection.socket.close(CloseCode.rightsChanged, 'Your role changed; reconnecting');
      }
    }
  }

  /** A review was closed: everyone in its room becomes read-only. */
  makeReadOnly(reviewId: string): void {
    this.#entries.get(reviewId)?.room.makeReadOnly();
  }

  /** Closes every connection and commits everything pending (on shutdown). */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closing = true;
    await Promise.allSettled(this.#loading.values());
    const entries = [...this.#entries.values()];
    for (const { room } of entries)
      for (const connection of room.connections) connection.socket.close(CloseCode.goingAway, 'Server shutting down');
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

export interface Reservation {
  /** Adds the opened socket to the room; closes it (4503) if the room went away meanwhile. */
  join(socket: Socket, info: ConnectionInfo): Connection | undefined;
}
