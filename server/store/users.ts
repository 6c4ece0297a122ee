// Users: accounts with a hashed password; emails are unique regardless of case.
import type { Db } from '../db/connect.ts';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

/** Returns undefined when the email is already taken. */
export async function insertUser(
  sql: Db,
  input: { email: string; name: string; passwordHash: string },
): Promise<User | undefined> {
  const [user] = await sql<User[]>`
    insert into users (email, name, password_hash)
    values (${input.email}, ${input.name}, ${input.passwordHash})
    on conflict (lower(email)) do nothing
    returning
      id,
      email,
      name
  `;
  return user;
}

export async function findUserByEmail(sql: Db, email: string): Promise<UserWithPassword | undefined> {
  const [user] = await sql<UserWithPassword[]>`
    select
      id,
      email,
      name,
      password_hash
    from users
    where lower(email) = lower(${email})
  `;
  return user;
}
