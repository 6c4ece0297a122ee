// Open connections follow rights changed in the store: a signed-out session, a user signed out everywhere or removed
// from an organization is closed (their clients reconnect and are refused or given their new rights at the
// upgrade), and a changed room role takes effect on the connections already open. Rooms applies these here and, with
// Redis, in every other process.
import type { RoomRole } from '../domain/board.ts';
import type { Connection } from './connection.ts';
import { CloseCode } from './protocol.ts';
import type { DisconnectTarget } from './redis-hub.ts';
import type { Room } from './room.ts';

function matches(connection: Connection, target: DisconnectTarget): boolean {
  return 'sessionId' in target
    ? connection.sessionId === target.sessionId
    : connection.userId === target.userId &&
        (!('organizationId' in target) || connection.organizationId === target.organizationId);
}

/** Closes the target's connections in these rooms; returns how many. */
export function closeConnectionsOf(
  rooms: Iterable<Room>,
  target: DisconnectTarget,
  code: number,
  reason: string,
): number {
  let closed = 0;
  for (const room of rooms)
    for (const connection of room.connections)
      if (matches(connection, target)) {
        connection.socket.close(code, reason);
        closed += 1;
      }
  return closed;
}

/**
 * The user's room role changed: their open connections follow (a closed review stays read-only), and the board's
 * permissions judge their next updates by it. A new facilitator's predecessor is an owner now (as in the store).
 */
export function applyRoomRole(room: Room, userId: string, role: RoomRole, readOnly: boolean): void {
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
