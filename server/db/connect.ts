// Opens the postgres.js pool: snake_case columns come back camelCase, timestamps as Date.
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A pool or an open transaction: what single-statement store functions accept. */
export type Db = postgres.Sql | postgres.TransactionSql;

export function connect(databaseUrl: string, options: { max?: number } = {}): Sql {
  return postgres(databaseUrl, {
    max: options.max ?? 10,
    transform: postgres.camel,
    onnotice: () => {},
    connection: { application_name: 'lastmile' },
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
