// A deadline for API reads. The statement timeout is PostgreSQL's own: a frozen server (stopped, or a network that
// drops everything) never enforces it, and a query sent on an open pooled connection then waits for ever. A read
// that has not answered by the statement timeout plus a margin answers 503 with Retry-After; its work goes on in
// the background and its late result is dropped. Writes are not cut short: a write answered 503 might still
// commit once the database wakes, so they wait for the database (new connections still fail by the connect timeout).
import { createMiddleware } from 'hono/factory';
import { DATABASE_RETRY_AFTER_S, DATABASE_UNAVAILABLE_MESSAGE } from '../db/unavailable.ts';
import { logFailure } from '../logger.ts';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

/** What a read may take beyond one statement's limit: the other statements of a request, the network. */
export const READ_DEADLINE_MARGIN_MS = 2_000;

export function readDeadline(statementTimeoutMs: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (statementTimeoutMs <= 0 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), statementTimeoutMs + READ_DEADLINE_MARGIN_MS);
    });
    // An event stream answers at once (its body goes on), so only reads that wait for their answer are cut.
    const handled = next().then(() => 'handled' as const);
    try {
      if ((await Promise.race([handled, late])) === 'late') {
        const fields = { requestId: c.var.requestId, path: c.req.path };
        // Its late result is dropped, but a late failure still deserves a line in the log.
        handled.catch(logFailure(c.var.logger, 'a read failed after its deadline', fields));
        c.var.logger.warn('database not answering: a read passed its deadline', fields);
        throw new ApiError(503, DATABASE_UNAVAILABLE_MESSAGE, [], { 'Retry-After': String(DATABASE_RETRY_AFTER_S) });
      }
    } finally {
      clearTimeout(timer);
    }
  });
}
