// Who is present in a room, as y-protocols awareness, and whose each awareness entry is. An entry is bound to the
// connection that first announces its client id; entries for ids owned by another user's connection are dropped,
// and each state is stamped with the authenticated user (domain/awareness.ts). With several processes, the entries
// of this process's own connections are the ones it answers for (room.ts publishes them).
import * as awarenessProtocol from 'y-protocols/awareness';
import { AWARENESS_LIMITS, sanitizeAwarenessState } from '../domain/awareness.ts';
import type { Connection } from './connection.ts';
import { decodeAwarenessUpdate, encodeAwarenessUpdate } from './protocol.ts';

type Awareness = awarenessProtocol.Awareness;

/** Applies a connection's awareness update (with the connection as origin); throws MalformedMessage if malformed. */
export function applyClientAwareness(
  awareness: Awareness,
  connections: ReadonlySet<Connection>,
  connection: Connection,
  update: Uint8Array,
): void {
  // Charged as sent (fields that are dropped count too); beyond its budget, a connection's awareness is ignored
  // until its next change or y-protocols' renewal (every 15 seconds).
  if (!connection.takeAwarenessBytes(update.byteLength, Math.floor(performance.now()))) return;
  const entries = decodeAwarenessUpdate(update, AWARENESS_LIMITS.rawStateChars);
  const accepted = [];
  for (const entry of entries) {
    if (
      entry.state !== null &&
      !connection.clientIds.has(entry.clientId) &&
      connection.clientIds.size >= AWARENESS_LIMITS.clientIdsPerConnection
    )
      continue;
    const owner = ownerOf(connections, entry.clientId);
    if (owner && owner !== connection) {
      // The same person reconnecting (their old socket not yet noticed as dead) takes their id along;
      // anyone else's claim on it is ignored.
      if (owner.userId !== connection.userId) continue;
      owner.clientIds.delete(entry.clientId);
    }
    if (!owner && entry.state === null) continue;
    connection.clientIds.add(entry.clientId);
    accepted.push({
      ...entry,
      state:
        entry.state === null
          ? null
          : sanitizeAwarenessState(entry.state, {
              userId: connection.userId,
              userName: connection.userName,
              readOnly: connection.readOnly,
            }),
    });
    if (entry.state === null) connection.clientIds.delete(entry.clientId);
  }
  if (accepted.length > 0)
    awarenessProtocol.applyAwarenessUpdate(awareness, encodeAwarenessUpdate(accepted), connection);
}

function ownerOf(connections: ReadonlySet<Connection>, clientId: number): Connection | undefined {
  for (const connection of connections) if (connection.clientIds.has(clientId)) return connection;
  return undefined;
}

/** Everyone's awareness in one update, or null if nobody is present. */
export function encodeEveryone(awareness: Awareness): Uint8Array | null {
  const states = [...awareness.getStates().keys()];
  return states.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(awareness, states) : null;
}

/** The awareness states of this process's own clients (for another process that asks), or null if none. */
export function encodeLocal(awareness: Awareness, connections: ReadonlySet<Connection>): Uint8Array | null {
  const present = [...localClientIds(connections)].filter((id) => awareness.getStates().has(id));
  return present.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(awareness, present) : null;
}

/** Whether the user is here through another process (their awareness came from there). */
export function hasRemoteUser(awareness: Awareness, connections: ReadonlySet<Connection>, userId: string): boolean {
  const local = localClientIds(connections);
  for (const [clientId, state] of awareness.getStates()) {
    if (local.has(clientId)) continue;
    const user = (state as { user?: { id?: unknown } }).user;
    if (user?.id === userId) return true;
  }
  return false;
}

/** The awareness client ids announced by this process's own connections. */
function localClientIds(connections: ReadonlySet<Connection>): Set<number> {
  return new Set([...connections].flatMap((connection) => [...connection.clientIds]));
}
