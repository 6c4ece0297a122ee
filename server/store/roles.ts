// Cluster roles: the embedded cluster's superuser password is rotated off the old constant one.
import type { Db } from '../db/connect.ts';

/**
 * ALTER ROLE takes no bind parameters, so PostgreSQL's own format() quotes the name (%I) and the password (%L)
 * and the statement it returns is run as is; nothing is spliced in on this side.
 */
export async function setRolePassword(sql: Db, role: string, password: string): Promise<void> {
  const [row] = await sql<{ statement: string }[]>`
    select format('alter role %I password %L', ${role}::text, ${password}::text) as statement
  `;
  await sql.unsafe(row!.statement);
}
