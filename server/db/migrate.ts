// Applies the SQL files in db/migrations/ with node-pg-migrate (forward-only, under an advisory lock).
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { projectPath } from '../project-root.ts';

export const migrationsDir = projectPath('db', 'migrations');

export async function migrate(databaseUrl: string, log: (message: string) => void = () => {}) {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    log: () => {},
    logger: { debug() {}, info() {}, warn: log, error: log },
  });
  for (const migration of applied) log(`Applied migration ${path.basename(migration.path)}`);
  return applied.map((migration) => migration.name);
}
