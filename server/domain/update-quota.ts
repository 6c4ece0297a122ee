// How much and how fast a review board may grow: bytes of document updates per minute, per connection and per
// room (each a bucket holding one minute's worth, so that is also the largest single change), and a ceiling on the
// board's size. A refused change is not kept: the server turns it into a deletion of what it inserted, so the
// writer's board converges back to the server's, and Lastmile's client is told why in a notice.

export interface UpdateQuotas {
  /** Bytes of updates one connection may send per minute; also the largest single update it may send. */
  connectionBytesPerMinute: number;
  /** Bytes of updates all the connections of a room (in one process) may send per minute. */
  roomBytesPerMinute: number;
  /** The board's encoded size beyond which changes that add to it are refused (deletions still pass). */
  maxBoardBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Generous for a real meeting: fifteen people typing notes send a few kilobytes a minute each, and a pasted
 * document of a few hundred kilobytes fits several times over; a whole meeting's board is well under a megabyte.
 */
export const DEFAULT_UPDATE_QUOTAS: UpdateQuotas = {
  connectionBytesPerMinute: 2 * MIB,
  roomBytesPerMinute: 8 * MIB,
  maxBoardBytes: 8 * MIB,
};

export type RefusalReason = 'connection-rate' | 'room-rate' | 'board-full';

/**
 * The whole bytes a bucket refilled at `perMinute` earns in `elapsedMs` (whole, so a bucket stays a small integer;
 * its clock moves on only when this is above zero, so no time is lost).
 */
export function bytesEarned(elapsedMs: number, perMinute: number): number {
  return elapsedMs > 0 ? Math.floor((elapsedMs * perMinute) / 60_000) : 0;
}

/**
 * Whether an update of `bytes` may go in, given what the connection's and the room's buckets hold and the board's
 * size as far as the room knows it; the reason for a refusal otherwise. `grows` is false for an update that only
 * deletes (it never makes the board larger, so a full board can still be cleaned up).
 */
export function judgeUpdate(input: {
  bytes: number;
  grows: boolean;
  connectionTokens: number;
  roomTokens: number;
  boardBytes: number;
  quotas: UpdateQuotas;
}): RefusalReason | null {
  if (input.bytes > input.connectionTokens) return 'connection-rate';
  if (input.bytes > input.roomTokens) return 'room-rate';
  if (input.grows && input.boardBytes + input.bytes > input.quotas.maxBoardBytes) return 'board-full';
  return null;
}

/** Lastmile's notice message type on the sync socket (y-websocket uses 0–3, Lastmile's acknowledgement 100). */
export const NOTICE_MESSAGE_TYPE = 101;

/** What a notice carries, as JSON: sent only to Lastmile's own clients (those that ask for acknowledgements). */
export interface UpdateRefusedNotice {
  kind: 'update-refused';
  reason: RefusalReason;
  /** The size of the refused update. */
  bytes: number;
  /** A sentence to show the person. */
  message: string;
}

function size(bytes: number): string {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The notice for a refused update of `bytes`. */
export function refusalNotice(reason: RefusalReason, bytes: number, quotas: UpdateQuotas): UpdateRefusedNotice {
  const change = `Your last change (${size(bytes)}) was not saved and has been removed from the board`;
  const why = {
    'connection-rate': `you can send at most ${size(quotas.connectionBytesPerMinute)} of changes a minute; try again in a minute, or in smaller parts`,
    'room-rate': `this board is receiving more than ${size(quotas.roomBytesPerMinute)} of changes a minute from everyone together; try again in a minute`,
    'board-full': `the board would grow beyond its limit of ${size(quotas.maxBoardBytes)}; remove something first, or keep large documents elsewhere and link to them`,
  }[reason];
  return { kind: 'update-refused', reason, bytes, message: `${change}: ${why}.` };
}
