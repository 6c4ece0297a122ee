// `npm run db:migrate`: apply pending migrations to DATABASE_URL, or to the embedded database.
import { ConfigError, loadConfig } from '../config.ts';
import { resolveDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

try {
  const config = loadConfig();
  const database = await resolveDatabase(config, (m) => console.log(m));
  try {
    const applied = await migrate(database.url, (m) => console.log(m));
    console.log(applied.length ? `Applied ${applied.length} migration(s).` : 'The database is up to date.');
  } finally {
    await database.embedded?.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${String(error)}`);
  process.exit(1);
}
