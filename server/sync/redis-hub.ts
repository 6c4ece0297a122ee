// What several Lastmile processes share through Redis (REDIS_URL): per review, a stream of board updates (the
// ordered, durable queue every process applies and the room's owner persists), a channel that announces each
// entry as it is added (the fast path), commits, awareness and owner hand-overs; a control channel for what must
// reach every process (sign-outs, role changes); and an events channel for the domain events live pages show.
// This file only speaks Redis (the channel messages' bytes are redis-messages.ts); what to do with the messages
// lives in shared-board.ts, rooms.ts and services/event-bus.ts.
import { randomUUID } from 'node:crypto';
import { Redis, type ClientContext, type Result } from 'ioredis';
import type { RoomRole } from '../domain/board.ts';
import type { DomainEvent, EventBus } from '../domain/events.ts';
import { logFailure, type Logger } from '../logger.ts';
import {
  decodeEntry,
  decodeRoomMessage,
  encodeRoomMessage,
  type RoomMessage,
  type StreamEntry,
} from './redis-messages.ts';

/** Closes or changes sockets in every process. */
export type ControlMessage =
  | { kind: 'disconnect'; target: DisconnectTarget; code: number; reason: string }
  | { kind: 'room-role'; reviewId: string; userId: string; role: RoomRole; readOnly: boolean }
  | { kind: 'review-closed'; reviewId: string };

export type DisconnectTarget = { sessionId: string } | { userId: string } | { userId: string; organizationId: string };

// Adds an update to the review's stream and announces it with the id of the entry before it, atomically, so a
// process that sees an announcement whose predecessor it has not applied knows it missed one and reads the
// stream. The announcement is "U" prev \n id \n process \n author \n at \n update-bytes.
const APPEND_LUA = `
local prev = redis.call('GET', KEYS[2]) or '0-0'
local id = redis.call('XADD', KEYS[1], '*', 'p', ARGV[2], 'a', ARGV[3], 't', ARGV[4], 'u', ARGV[5])
redis.call('SET', KEYS[2], id, 'PX', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PUBLISH', ARGV[1], 'U' .. prev .. '\\n' .. id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[4] .. '\\n' .. ARGV[5])
return id
`;

// Entries after a cursor, and the id of the last entry ever added, read together.
const TAIL_LUA = `
local last = redis.call('GET', KEYS[2]) or '0-0'
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+')
return { last, entries }
`;

const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    lastmileAppend(
      stream: string,
      lastKey: string,
      channel: string,
      process: string,
      author: string,
      at: string,
      update: Buffer,
      ttlMs: number,
    ): Result<string, Context>;
    lastmileTailBuffer(stream: string, lastKey: string, start: string): Result<[Buffer, [Buffer, Buffer[]][]], Context>;
    lastmileRenew(key: string, owner: string, ttlMs: number): Result<number, Context>;
    lastmileRelease(key: string, owner: string): Result<number, Context>;
  }
}

/** Stream keys live a week without activity; entries are trimmed as soon as they are persisted. */
const STREAM_TTL_MS = 7 * 24 * 3600 * 1000;

export interface RedisHubOptions {
  url: string;
  /** Namespaces every key and channel, so several deployments (or test runs) can share one Redis. */
  prefix?: string;
  logger: Logger;
}

export class RedisHub {
  /** This process, as other processes know it. */
  readonly process = randomUUID();
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, (message: RoomMessage) => void>();
  readonly #controlHandlers: ((message: ControlMessage) => void)[] = [];
  #onEvent: (event: DomainEvent) => void = () => {};

  constructor(options: RedisHubOptions) {
    this.#prefix = options.prefix ?? 'lastmile';
    this.#logger = options.logger;
    const redisOptions = { protocol: 2 as const, maxRetriesPerRequest: null, lazyConnect: true };
    this.#commands = new Redis(options.url, redisOptions);
    this.#subscriber = new Redis(options.url, redisOptions);
    for (const connection of [this.#commands, this.#subscriber])
      connection.on('error', (error: Error) => this.#logger.warn('redis: connection error', { error: error.message }));
    this.#commands.defineCommand('lastmileAppend', { numberOfKeys: 2, lua: APPEND_LUA });
    this.#commands.defineCommand('lastmileTail', { numberOfKeys: 2, lua: TAIL_LUA, readOnly: true });
    this.#commands.defineCommand('lastmileRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    this.#commands.defineCommand('lastmileRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#dispatch(channel, message));
  }

  async connect(): Promise<void> {
    try {
      await Promise.all([this.#commands.connect(), this.#subscriber.connect()]);
      await this.#subscriber.subscribe(this.#controlChannel, this.#eventsChannel);
    } catch (error) {
      this.#commands.disconnect();
      this.#subscriber.disconnect();
      throw new Error(`Cannot reach Redis at REDIS_URL: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#commands.quit(), this.#subscriber.quit()]);
  }

  get #controlChannel(): string {
    return `${this.#prefix}:control`;
  }

  get #eventsChannel(): string {
    return `${this.#prefix}:events`;
  }

  #channel(reviewId: string): string {
    return `${this.#prefix}:room:${reviewId}`;
  }

  #stream(reviewId: string): string {
    return `${this.#prefix}:room:${reviewId}:updates`;
  }

  #lastKey(reviewId: string): string {
    return `${this.#prefix}:room:${reviewId}:last`;
  }

  #ownerKey(reviewId: string): string {
    return `${this.#prefix}:room:${reviewId}:owner`;
  }

  /** Messages of the review's channel go to `handler` until `leave`; resolves once subscribed. */
  async join(reviewId: string, handler: (message: RoomMessage) => void): Promise<void> {
    this.#rooms.set(reviewId, handler);
    await this.#subscriber.subscribe(this.#channel(reviewId));
  }

  async leave(reviewId: string): Promise<void> {
    this.#rooms.delete(reviewId);
    await this.#subscriber
      .unsubscribe(this.#channel(reviewId))
      .catch(logFailure(this.#logger, 'redis: could not leave a review channel', { reviewId }));
  }

  /** Adds a handler of the other processes' control messages (the rooms' sockets, the live event streams). */
  onControl(handler: (message: ControlMessage) => void): void {
    this.#controlHandlers.push(handler);
  }

  async control(message: ControlMessage): Promise<void> {
    await this.#commands.publish(this.#controlChannel, JSON.stringify({ ...message, process: this.process }));
  }

  /** Domain events cross processes for live pages: this process's go out, the others' come in. */
  bridge(events: EventBus): void {
    events.relayTo((event) => {
      this.#commands
        .publish(this.#eventsChannel, JSON.stringify({ process: this.process, event }))
        .catch((error: unknown) =>
          this.#logger.warn('redis: could not send an event to the other processes', {
            event: event.type,
            error: String(error),
          }),
        );
    });
    this.#onEvent = (event) => events.receiveRemote(event);
  }

  /** Adds updates to the review's stream, in order, in one round trip; resolves with their ids. */
  async append(reviewId: string, updates: { authorId: string | null; at: number; update: Uint8Array }[]) {
    const pipeline = this.#commands.pipeline();
    for (const { authorId, at, update } of updates)
      pipeline.lastmileAppend(
        this.#stream(reviewId),
        this.#lastKey(reviewId),
        this.#channel(reviewId),
        this.process,
        authorId ?? '',
        String(at),
        Buffer.from(update.buffer, update.byteOffset, update.byteLength),
        STREAM_TTL_MS,
      );
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, id]) => {
      if (error) throw error;
      return String(id);
    });
  }

  /** Entries after `cursor` (exclusive; everything when null), and the id of the last entry ever added. */
  async tail(reviewId: string, cursor: string | null): Promise<{ last: string; entries: StreamEntry[] }> {
    const [last, raw] = await this.#commands.lastmileTailBuffer(
      this.#stream(reviewId),
      this.#lastKey(reviewId),
      cursor ? `(${cursor}` : '-',
    );
    return { last: last.toString(), entries: raw.map(([id, fields]) => decodeEntry(id.toString(), fields)) };
  }

  /** Drops persisted entries (those before `cursor`; the cursor entry stays as the link for late readers). */
  async trim(reviewId: string, cursor: string): Promise<void> {
    await this.#commands.xtrim(this.#stream(reviewId), 'MINID', cursor);
  }

  async announce(reviewId: string, message: RoomMessage): Promise<void> {
    await this.#commands.publish(this.#channel(reviewId), encodeRoomMessage(message));
  }

  /** Takes the review's ownership (its persistence) if nobody holds it; true when this process holds it now. */
  async acquire(reviewId: string, ttlMs: number): Promise<boolean> {
    const key = this.#ownerKey(reviewId);
    const taken = await this.#commands.set(key, this.process, 'PX', ttlMs, 'NX');
    if (taken === 'OK') return true;
    return (await this.#commands.lastmileRenew(key, this.process, ttlMs)) === 1;
  }

  async release(reviewId: string): Promise<void> {
    await this.#commands.lastmileRelease(this.#ownerKey(reviewId), this.process);
  }

  #dispatch(channel: Buffer, message: Buffer): void {
    const name = channel.toString();
    try {
      if (name === this.#controlChannel) {
        const parsed = JSON.parse(message.toString()) as ControlMessage & { process: string };
        if (parsed.process === this.process) return;
        for (const handler of this.#controlHandlers)
          try {
            handler(parsed);
          } catch (error) {
            this.#logger.error('redis: a control message failed', { kind: parsed.kind, error: String(error) });
          }
        return;
      }
      if (name === this.#eventsChannel) {
        const parsed = JSON.parse(message.toString()) as { process: string; event: DomainEvent };
        if (parsed.process !== this.process) this.#onEvent(parsed.event);
        return;
      }
      const reviewId = name.slice(`${this.#prefix}:room:`.length);
      this.#rooms.get(reviewId)?.(decodeRoomMessage(message));
    } catch (error) {
      this.#logger.warn('redis: ignoring a malformed message', { channel: name, error: String(error) });
    }
  }
}
