// Follows what the server has committed of a board (Lastmile's acknowledgement message) and tells whether
// everything this client holds is durable. Works with an unmodified y-websocket WebsocketProvider.
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACK_MESSAGE_TYPE, coveredBy } from '../../../server/domain/durability.ts';

export class CommitTracker {
  #committed = new Map<number, number>();
  #listeners = new Set<() => void>();
  #acked = false;

  constructor(
    readonly provider: WebsocketProvider,
    readonly doc: Y.Doc,
  ) {
    // Handlers are per provider (a copy of y-websocket's table), so this adds to this provider only.
    provider.messageHandlers[ACK_MESSAGE_TYPE] = (_encoder, decoder) => {
      this.#committed = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      this.#acked = true;
      for (const listener of this.#listeners) listener();
    };
  }

  /** Whether an acknowledgement arrived since the provider was created. */
  get acknowledged(): boolean {
    return this.#acked;
  }

  /** True when every change in the local document is committed on the server. */
  get covered(): boolean {
    return this.#acked && coveredBy(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.#committed);
  }

  onAck(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once everything the document holds now is committed. */
  whenCovered(): Promise<void> {
    return new Promise((resolve) => {
      if (this.covered) return resolve();
      const off = this.onAck(() => {
        if (!this.covered) return;
        off();
        resolve();
      });
    });
  }
}
