// The load generator's clients: unmodified y-websocket `WebsocketProvider`s over `ws`, the same for every server.
// Lastmile's carry a session cookie, an allowed Origin and `?acks=1` (signed up and logged in through the API);
// Hocuspocus's frame every message with the document name (its multiplexing), which a thin socket adapter adds
// and removes, so the provider speaks plain y-websocket to all three.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACK_MESSAGE_TYPE } from '../../../server/domain/durability.ts';
import { createOrganization, signUp, type ApiClient } from '../../support/client.ts';
import { addMember, createReview } from '../../support/reviews.ts';
import type { ServerKind } from './types.ts';

// Each provider listens for the process's exit; the benchmark opens hundreds at once.
process.setMaxListeners(0);

export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves at the first completed sync with the server. */
  synced: Promise<void>;
  /** Close codes the provider saw, oldest first. */
  closes: number[];
  /** Lastmile's acknowledgements: called with the committed state vector. */
  onAck?: (committed: Map<number, number>) => void;
  destroy(): void;
}

type SocketClass = typeof globalThis.WebSocket;

export function socketWithHeaders(headers: Record<string, string>): SocketClass {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as unknown as SocketClass;
}

const HOCUSPOCUS = { auth: 2, syncReply: 4 } as const;
const Y_WEBSOCKET_TYPES = new Set([0, 1, 3]);

/** Hocuspocus's framing: each message starts with the document name; the first one authenticates. */
function hocuspocusSocket(documentName: string): SocketClass {
  const prefix = (payload: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, documentName);
    encoding.writeUint8Array(encoder, payload);
    return encoding.toUint8Array(encoder);
  };
  return class extends WebSocket {
    override send(data: Uint8Array) {
      super.send(prefix(data));
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'open') {
        const auth = encoding.createEncoder();
        encoding.writeVarUint(auth, HOCUSPOCUS.auth);
        encoding.writeVarUint(auth, 0);
        encoding.writeVarString(auth, 'bench');
        this.send(encoding.toUint8Array(auth));
      }
      if (event !== 'message') return super.emit(event, ...args);
      const decoder = decoding.createDecoder(new Uint8Array(args[0] as ArrayBuffer));
      decoding.readVarString(decoder);
      let type = decoding.readVarUint(decoder);
      // A sync reply is a sync message that asks for no further step 1; sync status and auth replies have no
      // y-websocket counterpart.
      if (type === HOCUSPOCUS.syncReply) type = 0;
      if (!Y_WEBSOCKET_TYPES.has(type)) return true;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, type);
      encoding.writeUint8Array(encoder, decoding.readTailAsUint8Array(decoder));
      return super.emit('message', encoding.toUint8Array(encoder), true);
    }
  } as unknown as SocketClass;
}

export interface Target {
  kind: ServerKind;
  /** Rooms to benchmark in: reviews created through Lastmile's API, fresh names elsewhere. */
  createRooms(count: number): Promise<string[]>;
  connect(room: string, index: number): BenchClient;
}

let roomCounter = 0;

export async function createTarget(kind: ServerKind, port: number, users: number): Promise<Target> {
  const httpOrigin = `http://localhost:${port}`;
  const wsBase = `ws://127.0.0.1:${port}/sync`;
  if (kind !== 'lastmile') {
    return {
      kind,
      createRooms: (count) =>
        Promise.resolve(Array.from({ length: count }, () => `bench-${process.pid}-${++roomCounter}`)),
      connect: (room) =>
        connectProvider(wsBase, room, {
          socket: kind === 'hocuspocus' ? hocuspocusSocket(room) : socketWithHeaders({}),
          params: {},
        }),
    };
  }
  // A facilitator creates the organization and its reviews; the others join it through invites.
  const facilitator = await signUp(httpOrigin, 'Bench Facilitator');
  const org = await createOrganization(facilitator.client, 'Sync Bench');
  const people: ApiClient[] = [facilitator.client];
  for (let i = 1; i < users; i++)
    people.push((await addMember(httpOrigin, facilitator.client, org.id, `Bench User ${i}`)).client);
  return {
    kind,
    async createRooms(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 20) {
        const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) =>
          createReview(facilitator.client, org.id, { title: `Bench review ${i + j + 1}` }),
        );
        ids.push(...(await Promise.all(batch)).map((review) => review.id));
      }
      return ids;
    },
    connect(room, index) {
      const person = people[index % people.length]!;
      return connectProvider(wsBase, room, {
        socket: socketWithHeaders({ origin: httpOrigin, cookie: person.cookie! }),
        params: { acks: '1' },
        acks: true,
      });
    },
  };
}

export function connectProvider(
  wsBase: string,
  room: string,
  options: { socket: SocketClass; params: Record<string, string>; acks?: boolean },
): BenchClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase, room, doc, {
    WebSocketPolyfill: options.socket,
    params: options.params,
    // Clients in one process would otherwise also sync through a BroadcastChannel, past the server.
    disableBc: true,
  });
  const closes: number[] = [];
  const client: BenchClient = {
    doc,
    provider,
    closes,
    synced: new Promise<void>((resolve) => {
      const onSync = (isSynced: boolean) => {
        if (!isSynced) return;
        provider.off('sync', onSync);
        resolve();
      };
      provider.on('sync', onSync);
    }),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  if (options.acks) {
    // Handlers are per provider (a copy of y-websocket's table), so this adds to this provider only.
    provider.messageHandlers[ACK_MESSAGE_TYPE] = (_encoder, decoder) => {
      const committed = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      client.onAck?.(committed);
    };
  }
  return client;
}
