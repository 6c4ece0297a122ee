// The one way to start work that outlives its request: failures are logged, never left floating.
import { errorFields, type Logger } from './logger.ts';

export function runInBackground(logger: Logger, label: string, work: () => Promise<void>): void {
  work().catch((error: unknown) => logger.error(`background work failed: ${label}`, errorFields(error)));
}

/** Lets other requests run between chunks of a long job. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
