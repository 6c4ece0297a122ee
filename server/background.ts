// The one way to start work that outlives its request: failures are logged, never left floating, and the work is
// tracked, so shutdown can let it finish before the database pool closes and a test can wait for the server to
// have done everything an event set off before it checks that something did not happen.
import { errorFields, type Logger } from './logger.ts';

export class BackgroundWork {
  readonly #logger: Logger;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Starts `work` now; a failure is logged as `message` with `context`. */
  run(message: string, work: () => Promise<unknown>, context: Record<string, unknown> = {}): void {
    const tracked: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.#logger.error(message, { ...context, ...errorFields(error) }),
      )
      .finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  /** Resolves once nothing is in flight, including work that work in flight started meanwhile. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }
}

/** Lets other requests run between chunks of a long job. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
