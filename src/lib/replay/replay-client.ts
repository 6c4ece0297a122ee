// The page's side of the replay worker: streams the log in, and asks for boards with "latest wins": while one
// board is being built only the newest request waits, so fast scrubbing never queues up stale work.
import type { BoardFrame } from './engine.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export type BoardTarget = { count: number } | { state: string };

export interface ShownFrame {
  frame: BoardFrame;
  /** Time spent in the worker building it. */
  workerMs: number;
}

interface Request {
  target: BoardTarget;
  resolve: (shown: ShownFrame | null) => void;
  reject: (error: Error) => void;
}

export class ReplayClient {
  readonly #worker: Worker;
  #nextId = 1;
  #inFlight: (Request & { id: number }) | null = null;
  #pending: Request | null = null;
  #onIngested: (count: number) => void;
  #onFailure: (message: string) => void;

  constructor(worker: Worker, handlers: { oningested: (count: number) => void; onfailure: (message: string) => void }) {
    this.#worker = worker;
    this.#onIngested = handlers.oningested;
    this.#onFailure = handlers.onfailure;
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    worker.onerror = (event) => this.#onFailure(event.message || 'The replay worker stopped.');
  }

  ingest(updates: string[]): void {
    this.#post({ type: 'ingest', updates });
  }

  /** The board for `target`; null when a newer request replaced this one before it started. */
  show(target: BoardTarget): Promise<ShownFrame | null> {
    return new Promise((resolve, reject) => {
      this.#pending?.resolve(null);
      this.#pending = { target, resolve, reject };
      this.#next();
    });
  }

  #next(): void {
    if (this.#inFlight || !this.#pending) return;
    const request = { ...this.#pending, id: this.#nextId++ };
    this.#pending = null;
    this.#inFlight = request;
    this.#post(
      'count' in request.target
        ? { type: 'seek', id: request.id, count: request.target.count }
        : { type: 'state', id: request.id, state: request.target.state },
    );
  }

  #receive(message: FromWorker): void {
    if (message.type === 'ingested') {
      this.#onIngested(message.count);
      return;
    }
    const request = this.#inFlight;
    if (message.type === 'failed' && message.id === null) {
      this.#onFailure(message.message);
      return;
    }
    if (!request || request.id !== message.id) return;
    this.#inFlight = null;
    if (message.type === 'frame') request.resolve({ frame: message.frame, workerMs: message.ms });
    else request.reject(new Error(message.message));
    this.#next();
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  destroy(): void {
    this.#pending?.resolve(null);
    this.#inFlight?.resolve(null);
    this.#worker.terminate();
  }
}
