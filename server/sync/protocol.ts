// The wire protocol of /sync/:reviewId and its message flow. Lastmile speaks y-websocket's protocol, so an
// unmodified `WebsocketProvider` is a full client, plus two message types of its own (acknowledgement and notice)
// that only clients asking for them with `?acks=1` receive. Each message is one binary websocket frame: a varuint
// message type, then its payload (a text frame closes the connection, 4400).
//
//   type 0  sync: a varuint sync type, then a varuint8array: 0 step 1 (a state vector), 1 step 2 (an update),
//           2 update (an update)
//   type 1  awareness: a y-protocols awareness update (client id, clock, JSON state per entry)
//   type 2  auth: accepted and ignored (authorization happened at the upgrade)
//   type 3  query-awareness: no payload
//   type 100 ack (Lastmile's): the state vector of everything committed to PostgreSQL
//   type 101 notice (Lastmile's): a JSON string, `UpdateRefusedNotice` or `WriteForbiddenNotice`
//
// Joining. The socket opens only once the upgrade was authorized and the room loaded from PostgreSQL
// (http/sync-route.ts), so the first state the client hears is the whole stored board. The server sends at once,
// in this order: sync step 1 with the room's state vector; the awareness of everyone present, if anyone is; with
// `?acks=1`, an ack of what is committed. The client sends its sync step 1 and gets sync step 2: everything it lacks,
// without structs still waiting for their predecessors (a client that has nothing gets one encoding of the whole
// board, shared by every such joiner until the board changes). The client answers the server's step 1 with its own
// step 2 (what the server lacks, e.g. edits made while offline) and is synced.
//
// Editing. A client sends each change as a sync update (a step 2 is taken the same way, and marks the client as
// having answered the server's step 1). Before any of it touches the document an update is decoded whole and judged
// against the board's permission table (update-permissions.ts) and the update quotas; a large one is decoded in a
// worker under a deadline, and that connection's later frames wait for the verdict, in order. An allowed update is
// applied with the connection as its origin (origins.ts), queued for commit and broadcast as a sync update to every
// other connection of the room: the updates of one event-loop turn are merged into one message, and a sender alone in
// its turn does not hear its own edit back. A refused update is integrated as deleted, with what it replaced put back
// (refused-update.ts); that undoing update goes to everyone, the writer included, whose board converges back, and
// with `?acks=1` the writer is first sent a notice saying why. An update that builds on changes the room lacks is
// never integrated unjudged: from a client that has not sent its step 2 it waits up to PENDING_GRACE_MS for them
// (a reconnecting client may type before its step 2 arrives); after its step 2 it closes the connection (4400).
// Updates from read-only connections (viewers, anyone in a closed review) are dropped without an answer. Edits the
// server makes itself (Rooms.edit: triage, decisions) are broadcast to everyone like any other.
//
// Acknowledgements (`?acks=1`). Updates are group-committed to PostgreSQL a few milliseconds after they arrive
// (board-writer.ts; with several processes the room's owner persists the shared Redis stream: shared-board.ts).
// After each commit the server sends an ack carrying the state vector of everything committed. The guarantee: an
// ack is sent only after the commit it reports has completed, so every change whose clocks it covers survives a
// crash or restart; the client compares its own state vector with the latest ack to show "saved". A connection with
// edits of its own not yet covered gets each ack at once; the others get the latest one at most every
// READER_ACK_MS. A refusal's tombstones are acknowledged like the writer's own edit.
//
// Awareness. Each awareness entry is bound to the connection that first announces its client id (a claim on
// another user's id is ignored; the same user reconnecting takes theirs along), every state is stamped with the
// authenticated user (domain/awareness.ts), and the changes of one turn go to everyone in one message. A
// connection's states are removed when it leaves, and the removal is broadcast. Query-awareness is answered with
// everyone's awareness, at most once per interval per connection (stock clients never send it: they get everyone's
// awareness on joining). With several processes, awareness of each process's own clients crosses through Redis.
//
// Staying connected. The server pings every socket every 30 s and drops one that did not answer the previous ping
// (open-sockets.ts). It closes a connection with one of the close codes below: too many messages or refused bytes
// (4429), a malformed frame or update (4400), a socket too far behind in reading (dropped; y-websocket reconnects),
// rights gained (4205: reconnect to get them; rights lost take effect on the next message), a signed-out, expired
// or removed session (4401/4403), a room that went away before the socket joined (4503), shutdown (1001).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ACK_MESSAGE_TYPE } from '../domain/durability.ts';
import type { WriteForbiddenNotice } from '../domain/board-refusals.ts';
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
