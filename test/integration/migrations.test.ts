import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { migrate, migrationsDir } from '../../server/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('migrations', () => {
  it('finds a migrated database up to date and applies nothing twice', async () => {
    expect(await migrate(db.url)).toEqual([]);
    const applied = await db.sql`select name from pgmigrations order by id`;
    const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort();
    expect(files[0]).toBe('001_foundation.sql');
    expect(applied.map((row) => `${row.name}.sql`)).toEqual(files);
  });
});
