// The replay worker: applies the review's update log off the main thread, checkpoint by checkpoint, and answers
// seeks between slices of that work, so scrubbing stays instant while 50,000 updates are still being applied.
import { ReplayEngine, frameOfState } from './engine.ts';
import { decodeBase64, type FromWorker, type ToWorker } from './protocol.ts';

/** Updates applied per turn of the worker's event loop, so seeks never wait long behind ingestion. */
const SLICE = 500;

const engine = new ReplayEngine();
const queue: string[][] = [];
let draining = false;
/** A seek beyond what has been applied yet: answered as soon as the log gets there. */
let waiting: { id: number; count: number } | null = null;
let received = 0;

const reply = (message: FromWorker) => postMessage(message);
// A message channel yields to the event loop without setTimeout's clamping.
const yielder = new MessageChannel();
yielder.port1.onmessage = () => drain();
const later = () => yielder.port2.postMessage(null);

function answer(id: number, count: number) {
  const started = performance.now();
  const frame = engine.seek(count);
  reply({ type: 'frame', id, frame, ms: performance.now() - started });
}

function drain() {
  const page = queue[0];
  if (!page) {
    draining = false;
    return;
  }
  const slice = page.splice(0, SLICE);
  if (page.length === 0) queue.shift();
  try {
    engine.ingest(slice.map(decodeBase64));
  } catch (error) {
    queue.length = 0;
    draining = false;
    reply({ type: 'failed', id: null, message: `The update log could not be applied: ${String(error)}` });
    return;
  }
  reply({ type: 'ingested', count: engine.count });
  if (waiting && waiting.count <= engine.count) {
    const { id, count } = waiting;
    waiting = null;
    answer(id, count);
  }
  later();
}

onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'ingest':
        received += message.updates.length;
        queue.push([...message.updates]);
        if (!draining) {
          draining = true;
          later();
        }
        break;
      case 'seek':
        if (message.count > engine.count && message.count <= received) waiting = message;
        else answer(message.id, message.count);
        break;
      case 'state': {
        const started = performance.now();
        reply({
          type: 'frame',
          id: message.id,
          frame: frameOfState(decodeBase64(message.state)),
          ms: performance.now() - started,
        });
        break;
      }
    }
  } catch (error) {
    reply({ type: 'failed', id: 'id' in message ? message.id : null, message: String(error) });
  }
};
