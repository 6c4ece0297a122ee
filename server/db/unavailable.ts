// Which failures mean "PostgreSQL is not answering" (rather than a bug): a statement cancelled by the statement
// timeout, a connection that could not be made in time or was lost, a server shutting down or starting up. The API
// answers these with 503 and Retry-After, so clients retry instead of hanging or reporting a server error.

/** postgres.js's own connection failures and the socket errors under them. */
const CONNECTION_CODES = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** SQLSTATEs: query_canceled (the statement timeout), admin/crash shutdown, cannot connect now. */
const SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03']);

/** Whether `error` (or an error it wraps) says the database did not answer in time or is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (CONNECTION_CODES.has(code) || SQLSTATES.has(code)) return true;
      // Class 08: connection exceptions reported by the server.
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    current = current.cause;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not answering; try again shortly';
/** Seconds a client is asked to wait before retrying. */
export const DATABASE_RETRY_AFTER_S = 5;
