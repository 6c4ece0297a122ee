// Runs in a worker thread (see update-check.ts): decodes a document update and integrates it into an empty
// document, so that an update whose decoding would stall the event loop stalls only this thread, which the
// server then terminates.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

export interface CheckRequest {
  id: number;
  update: Uint8Array;
}

export interface CheckReply {
  id: number;
  ok: boolean;
}

const port = parentPort;
if (!port) throw new Error('update-check-worker.ts runs only as a worker thread');

function check(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    doc.destroy();
    return true;
  } catch {
    return false;
  }
}

// Warm up first, so that the deadline measures the update and not the compiling of Yjs.
const sample = new Y.Doc();
for (let i = 0; i < 200; i++) sample.getText('warm-up').insert(i % 7, 'x');
for (let i = 0; i < 20; i++) check(Y.encodeStateAsUpdate(sample));
sample.destroy();

port.on('message', ({ id, update }: CheckRequest) => {
  port.postMessage({ id, ok: check(update) } satisfies CheckReply);
});
port.postMessage('ready');
