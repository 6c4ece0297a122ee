// Lastmile's durable acknowledgements for one room (protocol.ts, "Acknowledgements"). After each commit the state
// vector of everything committed goes at once to the connections that wrote something not acknowledged yet (their
// "saved" waits on it), and to the other connections that asked for acknowledgements at most every READER_ACK_MS
// with the latest state (they only need to learn that the edits they received are safe too), on one tick shared by
// all rooms. Acknowledging every reader on every commit doubled what the server sends in a room of 200; at 200 ms,
// 100 rooms of five with one writer each still sent a reader acknowledgement for every delivery. A second is well
// within the client's five seconds of patience before it says "not saved".
import * as Y from 'yjs';
import type { Connection } from './connection.ts';
import { encodeAck } from './protocol.ts';

/** Connections that wrote nothing unacknowledged hear of commits at most this often. */
export const READER_ACK_MS = 1_000;

/**
 * One timer for the reader acknowledgements of every room of the process: each tick sends what each room has
 * waiting, so a process with a hundred busy rooms runs one timer, not a hundred.
 */
class ReaderAckTick {
  readonly #due = new Set<Acknowledgements>();
  #timer: NodeJS.Timeout | undefined;

  add(acks: Acknowledgements): void {
    this.#due.add(acks);
    if (this.#timer === undefined) this.#timer = setTimeout(() => this.#tick(), READER_ACK_MS).unref();
  }

  delete(acks: Acknowledgements): void {
    this.#due.delete(acks);
  }

  #tick(): void {
    this.#timer = undefined;
    const due = [...this.#due];
    this.#due.clear();
    for (const acks of due) acks.sendReaderAck();
  }
}

const readerAckTick = new ReaderAckTick();

export class Acknowledgements {
  /** The latest acknowledgement not yet sent to the readers (at the next tick). */
  #readerAck: Uint8Array | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly connections: ReadonlySet<Connection>,
    /** Knows whether a connection has updates still waiting for their predecessors. */
    private readonly admission: { hasPending(connection: Connection): boolean },
  ) {}

  /** Everything up to `stateVector` is committed. */
  acknowledge(stateVector: Uint8Array): void {
    const message = encodeAck(stateVector);
    this.#readerAck = message;
    let committed: Map<number, number> | undefined;
    for (const connection of this.connections) {
      if (!connection.awaitingAck) continue;
      connection.send(message);
      committed ??= Y.decodeStateVector(stateVector);
      if (this.#isCovered(connection, committed)) connection.awaitingAck = false;
    }
    readerAckTick.add(this);
  }

  /** The tick: the latest acknowledgement goes to the connections that wrote nothing unacknowledged. */
  sendReaderAck(): void {
    const latest = this.#readerAck;
    this.#readerAck = null;
    if (latest)
      for (const connection of this.connections)
        if (connection.wantsAcks && !connection.awaitingAck) connection.send(latest);
  }

  /**
   * Whether everything the connection's client wrote is in `committed`: its document client ids are the ids it
   * announces in awareness (y-websocket uses the same one). Without any, or with updates still waiting for their
   * predecessors, it keeps getting acknowledgements.
   */
  #isCovered(connection: Connection, committed: Map<number, number>): boolean {
    if (connection.clientIds.size === 0 || this.admission.hasPending(connection)) return false;
    for (const id of connection.clientIds) if ((committed.get(id) ?? 0) < Y.getState(this.doc.store, id)) return false;
    return true;
  }

  destroy(): void {
    readerAckTick.delete(this);
  }
}
