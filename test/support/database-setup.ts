// Global setup of a database project: one PostgreSQL (embedded or external), one migrated template
// database that every test file clones, everything dropped afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect, withDatabase } from '../../server/db/connect.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createDatabase, dropDatabase } from '../../server/store/databases.ts';
import { TEST_DATABASE_PREFIX } from './database.ts';

export default async function setup(project: TestProject) {
  const { databaseMode, externalDatabaseUrl } = project.getProvidedContext();
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl: string;
  if (databaseMode === 'external') {
    if (!externalDatabaseUrl) throw new Error('TEST_DATABASE_URL is required for the external database project');
    adminUrl = externalDatabaseUrl;
  } else {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    adminUrl = embedded.url;
  }

  const run = `${TEST_DATABASE_PREFIX}${process.pid}_${Date.now().toString(36)}`;
  const template = `${run}_template`;
  const admin = connect(adminUrl, { max: 2 });
  await createDatabase(admin, template);
  await migrate(withDatabase(adminUrl, template));

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const leftovers = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like ${`${run}%`}`;
    for (const { datname } of leftovers) await dropDatabase(admin, datname);
    await admin.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
