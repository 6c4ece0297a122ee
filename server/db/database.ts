// Resolves the database to use: DATABASE_URL as given, or the embedded cluster with a `lastmile` database.
import type { Config } from '../config.ts';
import { createDatabase, databaseExists } from '../store/databases.ts';
import { connect, withDatabase } from './connect.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedOptions } from './embedded.ts';

export const EMBEDDED_DATABASE_NAME = 'lastmile';

export interface ResolvedDatabase {
  url: string;
  /** Human-readable description for the start-up banner. */
  description: string;
  embedded: EmbeddedDatabase | undefined;
}

/**
 * `log` tells start-up progress. For the embedded cluster, `warn` (default: `log`) tells its unexpected exits and
 * restarts, and `stoppedByCaller` says the caller stops it on SIGINT/SIGTERM after its own shutdown.
 */
export async function resolveDatabase(
  config: Config,
  log: (message: string) => void,
  embeddedOptions: Pick<EmbeddedOptions, 'warn' | 'stoppedByCaller'> = {},
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return { url: config.databaseUrl, description: `PostgreSQL at ${url.host}${url.pathname}`, embedded: undefined };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    log,
    ...embeddedOptions,
  });
  try {
    const admin = connect(embedded.url, { max: 1 });
    try {
      if (!(await databaseExists(admin, EMBEDDED_DATABASE_NAME))) await createDatabase(admin, EMBEDDED_DATABASE_NAME);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return {
    url: withDatabase(embedded.url, EMBEDDED_DATABASE_NAME),
    description: `embedded PostgreSQL on 127.0.0.1:${embedded.port} (data in ${config.dataDir})`,
    embedded,
  };
}
