// Who made a change to a room's board or presence: the origin of every transaction on a room's Y.Doc
// (`doc.transact(fn, origin)`, `Y.applyUpdate(doc, update, origin)`) and of every awareness change, as one union.
// The room decides by it what is logged to PostgreSQL, sent back to whom, counted against the quotas and published
// to the other processes (room.ts). Docs that are not a live room's (replay, recap, minutes, the update checker's
// sample) are built with Yjs's default origin and never reach these handlers.
import { Connection } from './connection.ts';

/** The stored snapshot and tail, applied while a room loads, before it listens: nothing is logged again. */
export const LOAD_ORIGIN = Symbol('lastmile-load');

/** Edits the server makes itself (Rooms.edit: triage, decisions): logged with author null. */
export const SERVER_ORIGIN = Symbol('lastmile-server');

/** Updates and awareness that came from another process (Redis): broadcast here, not sent back or logged. */
export const REMOTE_ORIGIN = Symbol('lastmile-remote');

/** A refused update's tombstones (refused-update.ts): the server's, and sent to its writer too. */
export const REFUSED_ORIGIN = Symbol('lastmile-refused');

/** The origin of a change to a room: a client's connection, or one of the server's own. */
export type RoomOrigin =
  Connection | typeof LOAD_ORIGIN | typeof SERVER_ORIGIN | typeof REMOTE_ORIGIN | typeof REFUSED_ORIGIN;

/** Awareness changes also come from y-protocols itself: 'timeout' removes a state not renewed for 30 s. */
export type AwarenessOrigin = RoomOrigin | 'local' | 'timeout';

// Yjs and y-protocols type origins as `any`: these take what their events hand over.

/** A change made by a client of this process, through its connection. */
export const isConnection = (origin: unknown): origin is Connection => origin instanceof Connection;

/** A change another process made, and logs and acknowledges itself. */
export const isRemote = (origin: unknown): origin is typeof REMOTE_ORIGIN => origin === REMOTE_ORIGIN;

/** The tombstones of a refused update. */
export const isRefusal = (origin: unknown): origin is typeof REFUSED_ORIGIN => origin === REFUSED_ORIGIN;

/** Who the log records as the change's author: the connection's user, or null for the server's own. */
export const authorOf = (origin: unknown): string | null => (isConnection(origin) ? origin.userId : null);
