// The wire protocol of /sync/:reviewId: y-websocket's messages (sync, awareness, query-awareness) plus Lastmile's
// acknowledgement and notice, which only clients that ask for acknowledgements (`?acks=1`) receive. A notice is
// JSON (`UpdateRefusedNotice`, `WriteForbiddenNotice`): the server refused an update, and the sync messages that
// follow undo it.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ACK_MESSAGE_TYPE } from '../domain/durability.ts';
import type { WriteForbiddenNotice } from '../domain/board-permissions.ts';
import { NOTICE_MESSAGE_TYPE, type UpdateRefusedNotice } from '../domain/update-quota.ts';

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Lastmile's own: the state vector of everything committed to PostgreSQL. */
  ack: ACK_MESSAGE_TYPE,
  /** Lastmile's own: something the person should be told (an update of theirs was refused). */
  notice: NOTICE_MESSAGE_TYPE,
} as const;

export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/**
 * Close codes of the sync websocket. 44xx mirror HTTP statuses; y-websocket's client does not reconnect after
 * a 44xx close, and does after the others.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooLarge: 1009,
  /** Reconnect in a moment (y-websocket does): the server could not handle this connection's update right now. */
  tryAgainLater: 1013,
  /** The connection's rights changed (a viewer became an owner): reconnect to get them. */
  rightsChanged: 4205,
  malformed: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  tooManyMessages: 4429,
  unavailable: 4503,
} as const;

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => encodeSync(SyncType.step1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => encodeSync(SyncType.step2, update);
export const encodeUpdate = (update: Uint8Array) => encodeSync(SyncType.update, update);

function encodeWithPayload(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const encodeAwareness = (update: Uint8Array) => encodeWithPayload(MessageType.awareness, update);
/** Lastmile's acknowledgement: the state vector of everything committed to PostgreSQL. */
export const encodeAck = (committedStateVector: Uint8Array) => encodeWithPayload(MessageType.ack, committedStateVector);

export function encodeNotice(notice: UpdateRefusedNotice | WriteForbiddenNotice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.notice);
  encoding.writeVarString(encoder, JSON.stringify(notice));
  return encoding.toUint8Array(encoder);
}

/** A client message, decoded; throws on malformed input. */
export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  /** `step2`: the client's answer to the server's sync step 1 (everything it has that the server lacked). */
  | { type: 'sync-update'; update: Uint8Array; step2: boolean }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' };

export class MalformedMessage extends Error {}

export function decodeClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncType.step1) return { type: 'sync-step1', stateVector: payload };
        if (syncType === SyncType.step2 || syncType === SyncType.update)
          return { type: 'sync-update', update: payload, step2: syncType === SyncType.step2 };
        throw new MalformedMessage(`Unknown sync message type ${syncType}`);
      }
      case MessageType.awareness:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MessageType.queryAwareness:
        return { type: 'query-awareness' };
      case MessageType.auth:
        return { type: 'auth' };
      default:
        throw new MalformedMessage(`Unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    // lib0 throws plain errors (or RangeErrors) on truncated input.
    throw new MalformedMessage('Truncated message');
  }
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null when the client removes its state. */
  state: Record<string, unknown> | null;
}

/**
 * Decodes an awareness update (y-protocols' format); throws MalformedMessage on anything else. An entry whose state
 * is longer than `maxStateChars` is skipped without being parsed.
 */
export function decodeAwarenessUpdate(update: Uint8Array, maxStateChars = Infinity): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > 1000) throw new MalformedMessage('Too many awareness entries');
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (json.length > maxStateChars) continue;
      const state: unknown = JSON.parse(json);
      if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
        throw new MalformedMessage('An awareness state must be an object or null');
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    return entries;
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage('Malformed awareness update');
  }
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}
