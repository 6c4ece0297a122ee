// One open socket of a review room and what it may still send: its identity and rights, and its own budgets (messages
// per second, document update bytes per minute, awareness bytes per second, query answers) and the bound on what
// may wait unsent on its socket. Small integers in the object itself: an idle connection costs little beyond ws's.
import type { RoomRole } from '../domain/board.ts';
import type { BoardWriter } from '../domain/board-permissions.ts';
import { bytesEarned, DEFAULT_UPDATE_QUOTAS, type UpdateQuotas } from '../domain/update-quota.ts';
import { CloseCode } from './protocol.ts';

/** What the room needs of a websocket: the `ws` socket, or anything that behaves like it in tests. */
export interface Socket {
  readonly readyState: number;
  /** Bytes queued and not yet written to the network (ws's). */
  readonly bufferedAmount?: number;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, freeing what is queued (ws's). */
  terminate?(): void;
}

/** Who opens a connection and with which rights: what the upgrade decides, before the Connection exists. */
export type ConnectionInfo = Pick<
  Connection,
  | 'userId'
  | 'userName'
  | 'sessionId'
  | 'sessionExpiresAt'
  | 'organizationId'
  | 'roomRole'
  | 'organizationRole'
  | 'readOnly'
  | 'wantsAcks'
  | 'ip'
>;

/**
 * One open socket in a room, holding who is connected and with which rights itself: an idle connection costs its
 * socket and this one object.
 */
export class Connection {
  userId: string;
  userName: string;
  /** The session the socket was opened with (signing out closes it) and the review's organization. */
  sessionId: string | null;
  /** When that session expires, as far as the server last looked (ms since the epoch). */
  sessionExpiresAt: number | null;
  organizationId: string | null;
  /** What the board's permission table (domain/board-permissions.ts) judges its updates by; kept current by Rooms. */
  roomRole: RoomRole;
  organizationRole: 'admin' | 'member';
  /** Viewers and anyone in a closed review: their document updates are dropped (and counted). */
  readOnly: boolean;
  /** Lastmile's client asks for commit acknowledgements; stock y-websocket clients do not get them. */
  wantsAcks: boolean;
  /** The address it connects from (per-address limits). */
  ip: string;
  readonly clientIds = new Set<number>();
  droppedUpdates = 0;
  /** The client has answered the server's sync step 1: it has sent everything the server lacked. */
  sentStep2 = false;
  /** The client answered the last keepalive ping (or none was sent yet). */
  answeredPing = true;
  /** It sent document updates that no acknowledgement has covered yet (only then does a commit concern it). */
  awaitingAck = false;
  /** While a large update of this connection is being checked, its later frames wait here, in order. */
  held: Uint8Array[] | null = null;
  /**
   * Updates that build on changes the room lacks, sent before its sync step 2 (which should carry them): they cannot
   * be judged yet, so they wait here, never integrated, until the next update of this connection goes in.
   */
  waiting: Uint8Array[] | null = null;
  waitingBytes = 0;
  /** Closes the connection if what its waiting updates build on does not come in time. */
  waitTimer: NodeJS.Timeout | undefined = undefined;
  // The token bucket in thousandths of a message and whole milliseconds: small integers, stored in the object
  // itself rather than as boxed numbers.
  #milliTokens: number;
  #refilledAtMs = Math.floor(performance.now());
  // Byte buckets, likewise integers: document updates (a minute's worth at most; refused updates overdraw it by the
  // tombstones they leave) and awareness.
  #updateBytes: number;
  #updateRefilledAtMs = this.#refilledAtMs;
  #awarenessBytes: number;
  #awarenessRefilledAtMs = this.#refilledAtMs;
  /** When the next query-awareness may be answered. */
  #nextQueryAtMs = 0;
  /** The size of the whole board last sent to it: it may still be reading it, on top of what else may queue. */
  #stateBytes = 0;

  constructor(
    readonly socket: Socket,
    info: ConnectionInfo,
    readonly limits: RoomLimits,
    /** The review of the room it joined (that room's own string, so a connection keeps no copy of it). */
    readonly reviewId: string,
  ) {
    this.userId = info.userId;
    this.userName = info.userName;
    this.sessionId = info.sessionId;
    this.sessionExpiresAt = info.sessionExpiresAt;
    this.organizationId = info.organizationId;
    this.roomRole = info.roomRole;
    this.organizationRole = info.organizationRole;
    this.readOnly = info.readOnly;
    this.wantsAcks = info.wantsAcks;
    this.ip = info.ip;
    this.#milliTokens = limits.messageBurst * 1000;
    this.#updateBytes = limits.connectionBytesPerMinute;
    this.#awarenessBytes = limits.awarenessBurstBytes;
  }

  /** Who writes, as the permission table sees it. */
  get writer(): BoardWriter {
    return { userId: this.userId, roomRole: this.roomRole, organizationRole: this.organizationRole };
  }

  holding(): boolean {
    return this.held !== null;
  }

  /** Token bucket: `messagesPerSecond` sustained, `messageBurst` at once. */
  takeMessageToken(): boolean {
    const now = Math.floor(performance.now());
    if (now > this.#refilledAtMs) {
      // A message per second is a thousandth of a message per millisecond.
      this.#milliTokens = Math.min(
        this.limits.messageBurst * 1000,
        this.#milliTokens + (now - this.#refilledAtMs) * this.limits.messagesPerSecond,
      );
      this.#refilledAtMs = now;
    }
    if (this.#milliTokens < 1000) return false;
    this.#milliTokens -= 1000;
    return true;
  }

  /** The update bytes it may send now (a minute's worth at most). */
  updateBytesAvailable(nowMs: number): number {
    const perMinute = this.limits.connectionBytesPerMinute;
    const earned = bytesEarned(nowMs - this.#updateRefilledAtMs, perMinute);
    if (earned > 0) {
      this.#updateBytes = Math.min(perMinute, this.#updateBytes + earned);
      this.#updateRefilledAtMs = nowMs;
    }
    return this.#updateBytes;
  }

  /** Spends update bytes; a refusal's tombstones may overdraw the bucket. */
  spendUpdateBytes(bytes: number): void {
    this.#updateBytes -= bytes;
  }

  /** It overdrew its update bytes by more than a minute's worth (with refused updates that leave large tombstones). */
  get overdrawn(): boolean {
    return this.#updateBytes < -this.limits.connectionBytesPerMinute;
  }

  /** Awareness byte bucket: `awarenessBytesPerSecond` sustained, `awarenessBurstBytes` at once. */
  takeAwarenessBytes(bytes: number, nowMs: number): boolean {
    const elapsed = nowMs - this.#awarenessRefilledAtMs;
    const added = Math.floor((elapsed * this.limits.awarenessBytesPerSecond) / 1000);
    if (added > 0) {
      this.#awarenessBytes = Math.min(this.limits.awarenessBurstBytes, this.#awarenessBytes + added);
      this.#awarenessRefilledAtMs = nowMs;
    }
    if (bytes > this.#awarenessBytes) return false;
    this.#awarenessBytes -= bytes;
    return true;
  }

  /** Whether a query-awareness may be answered now: at most one every `queryAwarenessIntervalMs`. */
  takeAwarenessQuery(nowMs: number): boolean {
    if (nowMs < this.#nextQueryAtMs) return false;
    this.#nextQueryAtMs = nowMs + this.limits.queryAwarenessIntervalMs;
    return true;
  }

  send(message: Uint8Array): void {
    const socket = this.socket;
    if (socket.readyState !== 1) return;
    // A client that stopped reading would make its socket's queue grow without end: it is dropped instead, and
    // reconnects (y-websocket does after an abnormal close) once it reads again.
    if ((socket.bufferedAmount ?? 0) > this.limits.maxBufferedBytes + this.#stateBytes) {
      if (socket.terminate) socket.terminate();
      else socket.close(CloseCode.tryAgainLater, 'Too far behind');
      return;
    }
    try {
      socket.send(message);
    } catch {
      // The socket is closing; its close handler removes it from the room.
    }
  }

  /** Sends the whole board, which may be larger than what is otherwise allowed to wait on the socket. */
  sendState(message: Uint8Array): void {
    this.#stateBytes = message.byteLength;
    this.send(message);
  }
}

export interface RoomLimits extends UpdateQuotas {
  messagesPerSecond: number;
  messageBurst: number;
  /** Awareness bytes one connection may send per second, sustained, and at once; beyond, its awareness is ignored. */
  awarenessBytesPerSecond: number;
  awarenessBurstBytes: number;
  /** Query-awareness frames are answered at most once per this interval per connection, and ignored otherwise. */
  queryAwarenessIntervalMs: number;
  /** A connection with more than this queued unsent (beyond the whole board, if it was just sent it) is dropped. */
  maxBufferedBytes: number;
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
