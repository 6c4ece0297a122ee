// Real y-websocket clients for tests: an unmodified WebsocketProvider over `ws`, carrying a session cookie
// and the Origin a browser would send.
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CommitTracker } from '../../src/lib/board/commit-tracker.ts';
import type { ApiClient } from './client.ts';

// Each provider listens for the process's exit (to say goodbye); tests run dozens of them at once.
process.setMaxListeners(200);

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  commits: CommitTracker;
  /** Resolves once the first sync with the server is done. */
  synced: Promise<void>;
  /** Close events seen by the provider, newest last. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

function socketClass(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

export function connectBoard(
  origin: string,
  client: ApiClient,
  reviewId: string,
  options: { acks?: boolean; doc?: Y.Doc; origin?: string } = {},
): BoardClient {
  const doc = options.doc ?? new Y.Doc();
  const headers: Record<string, string> = { origin: options.origin ?? origin };
  if (client.cookie) headers.cookie = client.cookie;
  const provider = new WebsocketProvider(origin.replace(/^http/, 'ws') + '/sync', reviewId, doc, {
    WebSocketPolyfill: socketClass(headers) as unknown as typeof globalThis.WebSocket,
    params: options.acks === false ? {} : { acks: '1' },
    // Without this, clients in one process would also sync through a BroadcastChannel, past the server.
    disableBc: true,
  });
  const commits = new CommitTracker(provider, doc);
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return {
    doc,
    provider,
    commits,
    synced,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `check` until it returns true (convergence is asynchronous), failing after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
