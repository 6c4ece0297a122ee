// The open websockets of one Rooms (one server): the Connection each socket carries, how many each address holds
// open, and the keepalive that drops a peer which stops answering pings (a laptop lid closed), which clears its
// presence. Rooms creates one and disposes it on close, so two servers in one process share no socket and no timer.
// The listeners are this instance's functions, shared by all its sockets (called with the socket as `this`): no
// closures per socket and nothing added to ws's objects, so an idle connection costs what its socket and its
// Connection do.
import type { WebSocket as WsSocket } from 'ws';
import type { Connection, ConnectionInfo, Socket } from './connection.ts';

export const DEFAULT_KEEPALIVE_MS = 30_000;

/** What the sockets' frames and closes go to (Rooms). */
export interface SocketRouting {
  receive(reviewId: string, connection: Connection, data: Uint8Array | string): void;
  leave(reviewId: string, connection: Connection): void;
}

/** A room held for a socket about to open (Rooms.reserve). */
export interface Reservation {
  /** Adds the opened socket to the room; closes it (4503) if the room went away meanwhile. */
  join(socket: Socket, info: ConnectionInfo): Connection | undefined;
}

const ignoreSocketError = () => {};

export class OpenSockets {
  readonly #connections = new Map<WsSocket, Connection>();
  /** Sockets open per address. */
  readonly #perAddress = new Map<string, number>();
  readonly #keepaliveMs: number;
  #keepalive: NodeJS.Timeout | undefined;
  #disposed = false;
  readonly #onMessage: (this: WsSocket, data: Buffer, isBinary: boolean) => void;
  readonly #onClose: (this: WsSocket) => void;
  readonly #onPong: (this: WsSocket) => void;

  constructor(routing: SocketRouting, keepaliveMs = DEFAULT_KEEPALIVE_MS) {
    this.#keepaliveMs = keepaliveMs;
    const connections = this.#connections;
    const perAddress = this.#perAddress;
    this.#onMessage = function (this: WsSocket, data: Buffer, isBinary: boolean): void {
      const connection = connections.get(this);
      if (connection) routing.receive(connection.reviewId, connection, isBinary ? data : data.toString());
    };
    this.#onClose = function (this: WsSocket): void {
      const connection = connections.get(this);
      if (!connection) return;
      connections.delete(this);
      const left = (perAddress.get(connection.ip) ?? 1) - 1;
      if (left > 0) perAddress.set(connection.ip, left);
      else perAddress.delete(connection.ip);
      routing.leave(connection.reviewId, connection);
    };
    this.#onPong = function (this: WsSocket): void {
      const connection = connections.get(this);
      if (connection) connection.answeredPing = true;
    };
  }

  /** Sockets open now. */
  get size(): number {
    return this.#connections.size;
  }

  /** Sockets the address holds open now. */
  openFrom(ip: string): number {
    return this.#perAddress.get(ip) ?? 0;
  }

  /** Joins an upgraded socket to its reserved room and wires its events (no reference to the upgrade request). */
  accept(reservation: Reservation, info: ConnectionInfo, ws: WsSocket): void {
    // ws reports a protocol violation (an oversized frame: it closes with 1009 itself) as an 'error' event, which
    // without a listener would throw out of the process; the 'close' that follows cleans up.
    ws.on('error', ignoreSocketError);
    // A room that went away meanwhile closes the socket (4503) and the client reconnects.
    const connection = reservation.join(ws, info);
    if (!connection) return;
    this.#connections.set(ws, connection);
    this.#perAddress.set(info.ip, this.openFrom(info.ip) + 1);
    ws.on('close', this.#onClose);
    // ws hands over each message as one Buffer (its default binary type).
    ws.on('message', this.#onMessage);
    ws.on('pong', this.#onPong);
    this.#startKeepalive();
  }

  /** One timer for all of this instance's sockets, running while any is open. */
  #startKeepalive(): void {
    if (this.#keepalive || this.#disposed) return;
    this.#keepalive = setInterval(() => {
      for (const [peer, connection] of this.#connections) {
        // Its 'close' follows and removes it.
        if (!connection.answeredPing) {
          peer.terminate();
          continue;
        }
        connection.answeredPing = false;
        peer.ping();
      }
      if (this.#connections.size === 0) this.#stopKeepalive();
    }, this.#keepaliveMs);
    this.#keepalive.unref();
  }

  #stopKeepalive(): void {
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
  }

  /** Stops the keepalive for good (the server is shutting down; Rooms closes the sockets themselves). */
  dispose(): void {
    this.#disposed = true;
    this.#stopKeepalive();
  }
}
