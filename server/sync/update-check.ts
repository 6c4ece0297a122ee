// Bounded decoding of large document updates. A small update decodes in microseconds, in line; a large one (a
// long offline session, a big paste, or a hostile frame) is first decoded and integrated into an empty document
// in a worker thread with a deadline and a memory limit. If the worker overruns either, it is terminated and
// replaced, the update is refused, and the event loop that serves every room never stalled.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import type { CheckReply } from './update-check-worker.ts';

/** ok: integrate it; malformed: it does not decode; too-costly: it overran the deadline or the memory limit. */
export type Verdict = 'ok' | 'malformed' | 'too-costly' | 'unavailable';

export interface UpdateCheckOptions {
  /** Updates of at least this many bytes go to the worker. */
  workerFromBytes: number;
  /** How long the worker may spend on one update. */
  deadlineMs: number;
  logger: Logger;
}

export const DEFAULT_UPDATE_CHECK = { workerFromBytes: 32 * 1024, deadlineMs: 500 };

/**
 * The worker runs the way this module runs: compiled JavaScript next to it in the build (dist/server/), TypeScript
 * under tsx or Vitest in development and tests.
 */
const compiled = import.meta.url.endsWith('.js');
const WORKER_URL = new URL(`./update-check-worker.${compiled ? 'js' : 'ts'}`, import.meta.url);

/**
 * A TypeScript worker registers tsx itself, through its public ESM API (a worker does not inherit the parent's
 * loader hooks, and tsx's CommonJS API cannot register from a worker). Resolved here, whatever the working directory.
 */
function typeScriptBootstrap(): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)})
  .then(({ register }) => register())
  .then(() => import(${JSON.stringify(WORKER_URL.href)}))`;
}

function startWorker(options: WorkerOptions): Worker {
  return compiled ? new Worker(WORKER_URL, options) : new Worker(typeScriptBootstrap(), { ...options, eval: true });
}

/** A hostile update that makes decoding allocate without end kills the worker, not the server. */
const WORKER_HEAP_MB = 256;

interface Task {
  update: Uint8Array;
  resolve: (verdict: Verdict) => void;
}

interface Running extends Task {
  id: number;
  timer?: NodeJS.Timeout;
}

export class UpdateChecker {
  readonly #options: UpdateCheckOptions;
  readonly #queue: Task[] = [];
  #running: Running | null = null;
  #worker: Promise<Worker> | null = null;
  #nextId = 1;
  #closed = false;

  constructor(options: UpdateCheckOptions) {
    this.#options = options;
  }

  /** Whether this update must be checked in the worker before it is integrated. */
  needsWorker(update: Uint8Array): boolean {
    return update.byteLength >= this.#options.workerFromBytes;
  }

  /** Checks updates one at a time, in the order asked; the deadline runs from when the worker gets the update. */
  check(update: Uint8Array): Promise<Verdict> {
    if (this.#closed) return Promise.resolve('unavailable');
    return new Promise((resolve) => {
      this.#queue.push({ update, resolve });
      this.#next();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const task of this.#queue.splice(0)) task.resolve('unavailable');
    this.#finish('unavailable');
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.then((started) => started.terminate()).catch(() => undefined);
  }

  #next(): void {
    if (this.#running || this.#closed) return;
    const task = this.#queue.shift();
    if (!task) return;
    const running: Running = { ...task, id: this.#nextId++ };
    this.#running = running;
    this.#started().then(
      (worker) => {
        if (this.#running !== running) return;
        running.timer = setTimeout(() => this.#overran(running, 'deadline'), this.#options.deadlineMs);
        worker.postMessage({ id: running.id, update: running.update });
      },
      (error: unknown) => {
        this.#options.logger.error('sync: the update-check worker did not start', { error: String(error) });
        this.#worker = null;
        this.#finish('unavailable');
      },
    );
  }

  #finish(verdict: Verdict): void {
    const running = this.#running;
    if (!running) return;
    clearTimeout(running.timer);
    this.#running = null;
    running.resolve(verdict);
    this.#next();
  }

  #overran(running: Running, what: string): void {
    if (this.#running !== running) return;
    this.#options.logger.warn('sync: refusing an update whose decoding overran the worker', {
      what,
      bytes: running.update.byteLength,
    });
    const worker = this.#worker;
    this.#worker = null;
    void worker?.then((started) => started.terminate()).catch(() => undefined);
    this.#finish('too-costly');
  }

  #started(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    const started = new Promise<Worker>((resolve, reject) => {
      const worker = startWorker({ execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      worker.unref();
      let ready = false;
      worker.on('message', (message: CheckReply | 'ready') => {
        if (message === 'ready') {
          ready = true;
          return resolve(worker);
        }
        if (this.#running?.id === message.id) this.#finish(message.ok ? 'ok' : 'malformed');
      });
      // A worker this checker terminated (or replaced) is of no concern any more.
      const gone = (reason: string) => {
        if (!ready) return reject(new Error(reason));
        if (this.#worker !== started || this.#closed) return;
        // Out of memory (or any crash) while decoding: that update is what did it.
        if (this.#running) this.#overran(this.#running, reason);
        else this.#worker = null;
      };
      worker.on('error', (error) => gone(String(error)));
      worker.on('exit', (code) => gone(`exited with code ${code}`));
    });
    this.#worker = started;
    return started;
  }
}
