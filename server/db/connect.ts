// Opens the postgres.js pool: snake_case columns come back camelCase, timestamps as Date.
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A pool or an open transaction: what single-statement store functions accept. */
export type Db = postgres.Sql | postgres.TransactionSql;

export interface ConnectOptions {
  max?: number;
  /** PostgreSQL cancels a statement of this pool running longer (57014); 0 or unset: no limit. */
  statementTimeoutMs?: number;
  /** A new connection not established within this many seconds fails (CONNECT_TIMEOUT); unset: 30. */
  connectTimeoutSeconds?: number;
}

export function connect(databaseUrl: string, options: ConnectOptions = {}): Sql {
  return postgres(databaseUrl, {
    max: options.max ?? 10,
    transform: postgres.camel,
    onnotice: () => {},
    ...(options.connectTimeoutSeconds !== undefined && { connect_timeout: options.connectTimeoutSeconds }),
    // Sent in the startup message, so every connection of the pool has it from its first statement.
    connection: {
      application_name: 'lastmile',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
}

/** Resolves the URL of a database next to the one `url` points at (same server and credentials). */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

/** Runs `fn` in a transaction: a new one on a pool, a savepoint inside an open transaction. */
export function transaction<T>(db: Db, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  if ('savepoint' in db) return db.savepoint(fn) as Promise<T>;
  return db.begin(fn) as Promise<T>;
}
