// Cluster-level statements: creating the application's database (embedded default, tests).
import type { Db } from '../db/connect.ts';

export async function databaseExists(sql: Db, name: string): Promise<boolean> {
  const rows = await sql`
    select 1
    from pg_database
    where datname = ${name}
  `;
  return rows.length > 0;
}

/** CREATE DATABASE takes no bind parameters, so the name goes through sql() identifier escaping. */
export async function createDatabase(sql: Db, name: string, template?: string): Promise<void> {
  if (template) await sql`create database ${sql(name)} template ${sql(template)}`;
  else await sql`create database ${sql(name)}`;
}

export async function dropDatabase(sql: Db, name: string): Promise<void> {
  await sql`drop database if exists ${sql(name)} with (force)`;
}

export async function countUsers(sql: Db): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count
    from users
  `;
  return row?.count ?? 0;
}
