// The open server-sent event streams of this process, by the session, user and organization they were opened
// with, so that signing out, signing out everywhere and removing a member end them as they end the review-room
// sockets. With several processes (REDIS_URL), the rooms' "disconnect" control message (Rooms.disconnect) reaches
// every process and ends the streams there too. A stream whose session expired (or was deleted without a
// sign-out reaching this process) ends at the next periodic check.
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { findSessionExpiries } from '../store/sessions.ts';
import type { DisconnectTarget, RedisHub } from '../sync/redis-hub.ts';

/** Who opened a stream. */
export interface LiveStreamOwner {
  sessionId: string;
  userId: string;
  organizationId: string;
  /** When the session expires (ms since the epoch), as last known; renewed sessions are looked up again. */
  sessionExpiresAt: number;
}

/** Ends one stream: it may say why to its client, then it closes. */
export type EndStream = (reason: string) => void;

interface Entry extends LiveStreamOwner {
  end: EndStream;
}

export interface LiveStreamsOptions {
  sql: Sql;
  logger: Logger;
  /** Several processes: their sign-outs and member removals reach this one's streams. */
  hub?: RedisHub;
  /** How often open streams are checked for sessions that expired meanwhile. */
  sessionCheckMs?: number;
  now?: () => Date;
}

export class LiveStreams {
  readonly #entries = new Set<Entry>();
  readonly #sql: Sql;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #sessionCheck: NodeJS.Timeout;

  constructor(options: LiveStreamsOptions) {
    this.#sql = options.sql;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#sessionCheck = setInterval(() => {
      this.closeExpiredSessions().catch((error: unknown) =>
        this.#logger.warn('could not check the sessions of open event streams', { error: String(error) }),
      );
    }, options.sessionCheckMs ?? 60_000);
    this.#sessionCheck.unref();
    options.hub?.onControl((message) => {
      if (message.kind === 'disconnect') this.close(message.target, message.reason);
    });
  }

  /** How many streams are open in this process. */
  get size(): number {
    return this.#entries.size;
  }

  /** Registers an open stream; call the returned function when it ends by itself. */
  open(owner: LiveStreamOwner, end: EndStream): () => void {
    const entry: Entry = { ...owner, end };
    this.#entries.add(entry);
    return () => this.#entries.delete(entry);
  }

  /** Ends the streams of a session, a user, or a user in one organization, in this process; returns how many. */
  close(target: DisconnectTarget, reason: string): number {
    let closed = 0;
    for (const entry of [...this.#entries])
      if (matches(entry, target)) {
        this.#end(entry, reason);
        closed += 1;
      }
    return closed;
  }

  /**
   * Ends the streams whose session has expired (or no longer exists) since they opened; a session renewed
   * meanwhile keeps its streams. Runs every `sessionCheckMs`; returns how many ended.
   */
  async closeExpiredSessions(): Promise<number> {
    const now = this.#now().getTime();
    const due = [...this.#entries].filter((entry) => entry.sessionExpiresAt <= now);
    if (due.length === 0) return 0;
    const expiries = await findSessionExpiries(this.#sql, [...new Set(due.map((entry) => entry.sessionId))]);
    let closed = 0;
    for (const entry of due) {
      const expiresAt = expiries.get(entry.sessionId)?.getTime();
      if (expiresAt !== undefined && expiresAt > now) {
        entry.sessionExpiresAt = expiresAt;
        continue;
      }
      if (!this.#entries.has(entry)) continue;
      this.#end(entry, 'Your session expired; sign in again');
      closed += 1;
    }
    return closed;
  }

  /** Stops the periodic check (on shutdown; the server closes the streams' connections itself). */
  stop(): void {
    clearInterval(this.#sessionCheck);
  }

  #end(entry: Entry, reason: string): void {
    this.#entries.delete(entry);
    try {
      entry.end(reason);
    } catch (error) {
      this.#logger.warn('could not end an event stream', { error: String(error) });
    }
  }
}

function matches(owner: LiveStreamOwner, target: DisconnectTarget): boolean {
  if ('sessionId' in target) return owner.sessionId === target.sessionId;
  if (owner.userId !== target.userId) return false;
  return !('organizationId' in target) || owner.organizationId === target.organizationId;
}
