// A fresh, migrated database per test file, cloned from the template the global setup prepared.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, withDatabase, type Sql } from '../../server/db/connect.ts';
import { createDatabase, dropDatabase } from '../../server/store/databases.ts';

export const TEST_DATABASE_PREFIX = 'lastmile_test_';

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `${template.replace(/_template$/, '')}_${randomBytes(4).toString('hex')}`;
  const admin = connect(adminUrl, { max: 1 });
  try {
    await createDatabase(admin, name, template);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const sql = connect(url, { max: 5 });
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const cleanup = connect(adminUrl, { max: 1 });
      try {
        await dropDatabase(cleanup, name);
      } finally {
        await cleanup.end();
      }
    },
  };
}
