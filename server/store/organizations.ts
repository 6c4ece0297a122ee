// Organizations and memberships with their roles.
import type { Db, Sql } from '../db/connect.ts';

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export interface OrganizationForUser {
  id: string;
  name: string;
  role: Role;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export async function insertOrganization(
  sql: Db,
  input: { name: string; createdBy: string },
): Promise<OrganizationForUser> {
  // One statement, so the organization never exists without its first admin.
  const [org] = await sql<{ id: string; name: string }[]>`
    with org as (
      insert into organizations (name, created_by)
      values (${input.name}, ${input.createdBy})
      returning
        id,
        name
    ), admin as (
      insert into memberships (organization_id, user_id, role)
      select id, ${input.createdBy}, 'admin'
      from org
    )
    select
      id,
      name
    from org
  `;
  return { id: org!.id, name: org!.name, role: 'admin' };
}

export async function listOrganizationsForUser(sql: Db, userId: string): Promise<OrganizationForUser[]> {
  return sql<OrganizationForUser[]>`
    select
      o.id,
      o.name,
      m.role
    from memberships m
    join organizations o on o.id = m.organization_id
    where m.user_id = ${userId}
    order by o.name, o.id
  `;
}

export async function organizationExists(sql: Db, organizationId: string): Promise<boolean> {
  const [row] = await sql`
    select 1
    from organizations
    where id = ${organizationId}
  `;
  return row !== undefined;
}

export async function findMembership(
  sql: Db,
  organizationId: string,
  userId: string,
): Promise<OrganizationForUser | undefined> {
  const [row] = await sql<OrganizationForUser[]>`
    select
      o.id,
      o.name,
      m.role
    from memberships m
    join organizations o on o.id = m.organization_id
    where m.organization_id = ${organizationId}
      and m.user_id = ${userId}
  `;
  return row;
}

export async function listMembers(sql: Db, organizationId: string): Promise<Member[]> {
  return sql<Member[]>`
    select
      u.id as user_id,
      u.name,
      u.email,
      m.role,
      m.created_at as joined_at
    from memberships m
    join users u on u.id = m.user_id
    where m.organization_id = ${organizationId}
    order by u.name, u.id
  `;
}

export type RemoveMemberResult = 'removed' | 'not-found' | 'last-admin';

/** Removes a member unless that would leave the organization without an admin. */
export async function removeMember(sql: Sql, organizationId: string, userId: string): Promise<RemoveMemberResult> {
  return sql.begin(async (tx) => {
    // Lock the organization's memberships so two concurrent removals cannot both pass the check.
    const rows = await tx<{ userId: string; role: Role }[]>`
      select
        user_id,
        role
      from memberships
      where organization_id = ${organizationId}
      for update
    `;
    const target = rows.find((row) => row.userId === userId);
    if (!target) return 'not-found';
    const admins = rows.filter((row) => row.role === 'admin').length;
    if (target.role === 'admin' && admins <= 1) return 'last-admin';
    await tx`
      delete from memberships
      where organization_id = ${organizationId}
        and user_id = ${userId}
    `;
    return 'removed';
  });
}

/** Adds the user with `role`; an existing membership is left as it is. */
export async function addMember(sql: Db, organizationId: string, userId: string, role: Role): Promise<void> {
  await sql`
    insert into memberships (organization_id, user_id, role)
    values (${organizationId}, ${userId}, ${role})
    on conflict (organization_id, user_id) do nothing
  `;
}

export async function findDefaultSlipThreshold(sql: Db, organizationId: string): Promise<number> {
  const [row] = await sql<{ defaultSlipThreshold: number }[]>`
    select default_slip_threshold
    from organizations
    where id = ${organizationId}
  `;
  return row?.defaultSlipThreshold ?? 0.15;
}

export async function setDefaultSlipThreshold(sql: Db, organizationId: string, threshold: number): Promise<void> {
  await sql`
    update organizations
    set default_slip_threshold = ${threshold}
    where id = ${organizationId}
  `;
}
