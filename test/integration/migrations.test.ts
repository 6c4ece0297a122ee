import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { migrate, migrationsDir } from '../../server/db/migrate.ts';
import { seedDemo, DEMO_ORGANIZATION, DEMO_PEOPLE } from '../../db/seed/demo.ts';
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

describe('demo seed', () => {
  it('seeds the demo organization into an empty database, once', async () => {
    const first = await seedDemo(db.sql);
    expect(first.seeded).toBe(true);
    expect(first.logins.map((login) => login.email)).toEqual(DEMO_PEOPLE.map((person) => person.email));

    const members = await db.sql`
      select u.email, m.role
      from memberships m
      join users u on u.id = m.user_id
      join organizations o on o.id = m.organization_id
      where o.name = ${DEMO_ORGANIZATION}
      order by u.email
    `;
    expect(members).toHaveLength(DEMO_PEOPLE.length);
    expect(members.find((m) => m.email === 'vp.ops@northwind.example')?.role).toBe('admin');

    const second = await seedDemo(db.sql);
    expect(second.seeded).toBe(false);
    const orgs = await db.sql`select id from organizations where name = ${DEMO_ORGANIZATION}`;
    expect(orgs).toHaveLength(1);
  });
});
