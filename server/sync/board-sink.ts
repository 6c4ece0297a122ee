// The persistence side of a room: where its updates go to become durable, and the encoding of its board that
// joiners and snapshots get. Two sinks implement it: BoardWriter (board-writer.ts) commits to PostgreSQL directly,
// SharedBoard (shared-board.ts) appends to a Redis stream that one process persists (REDIS_URL). Either tells the
// room what is committed, for its acknowledgements (acknowledgements.ts).
import * as Y from 'yjs';
import type { LoggedUpdate } from '../store/board-log.ts';

export interface BoardSink {
  enqueue(update: LoggedUpdate): void;
  readonly committedStateVector: Uint8Array;
  /** Nothing queued or being written. */
  readonly idle: boolean;
  drain(timeoutMs?: number): Promise<void>;
  stop(): void;
  /** With several processes: this process's clients' awareness changes, for the others. */
  publishAwareness?(update: Uint8Array): void;
}

/**
 * The document's state without structs still waiting for their predecessors: what joiners and snapshots get, so
 * an update that never completes cannot travel on.
 */
export function encodeStateWithoutPending(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}
