// Sessions keyed by the SHA-256 of their token, joined with their user when validated.
import type { Db } from '../db/connect.ts';
import type { User } from './users.ts';

export interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
}

export async function insertSession(sql: Db, session: SessionRow): Promise<void> {
  await sql`
    insert into sessions (id, user_id, expires_at)
    values (${session.id}, ${session.userId}, ${session.expiresAt})
  `;
}

export async function findSessionWithUser(
  sql: Db,
  sessionId: string,
): Promise<{ session: SessionRow; user: User } | undefined> {
  const [row] = await sql<(SessionRow & { email: string; name: string })[]>`
    select
      s.id,
      s.user_id,
      s.expires_at,
      u.email,
      u.name
    from sessions s
    join users u on u.id = s.user_id
    where s.id = ${sessionId}
  `;
  if (!row) return undefined;
  return {
    session: { id: row.id, userId: row.userId, expiresAt: row.expiresAt },
    user: { id: row.userId, email: row.email, name: row.name },
  };
}

export async function updateSessionExpiry(sql: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await sql`
    update sessions
    set expires_at = ${expiresAt}
    where id = ${sessionId}
  `;
}

export async function deleteSession(sql: Db, sessionId: string): Promise<void> {
  await sql`
    delete from sessions
    where id = ${sessionId}
  `;
}

/** Signs a user out everywhere: every session of theirs ends. */
export async function deleteUserSessions(sql: Db, userId: string): Promise<number> {
  const rows = await sql`
    delete from sessions
    where user_id = ${userId}
    returning id
  `;
  return rows.length;
}

/** When each of these sessions expires now (sessions that no longer exist are missing). */
export async function findSessionExpiries(sql: Db, sessionIds: string[]): Promise<Map<string, Date>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await sql<{ id: string; expiresAt: Date }[]>`
    select
      id,
      expires_at
    from sessions
    where id in ${sql(sessionIds)}
  `;
  return new Map(rows.map((row) => [row.id, row.expiresAt]));
}
