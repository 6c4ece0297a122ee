// Invitation links: only the token's hash is stored; accepting one is a single locked transaction.
import type { Db, Sql } from '../db/connect.ts';
import { inviteStatus, type InviteStatus } from '../domain/invites.ts';
import type { Role } from './organizations.ts';

export interface InviteRow {
  id: string;
  organizationId: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  acceptedBy: { id: string; name: string } | null;
}

export async function insertInvite(
  sql: Db,
  input: { organizationId: string; tokenHash: string; role: Role; createdBy: string; expiresAt: Date },
): Promise<InviteRow> {
  const [row] = await sql<InviteRow[]>`
    insert into invites (organization_id, token_hash, role, created_by, expires_at)
    values (${input.organizationId}, ${input.tokenHash}, ${input.role}, ${input.createdBy}, ${input.expiresAt})
    returning
      id,
      organization_id,
      role,
      created_at,
      expires_at,
      accepted_at,
      revoked_at,
      null as accepted_by
  `;
  return row!;
}

export async function listInvites(sql: Db, organizationId: string): Promise<InviteRow[]> {
  const rows = await sql<
    (Omit<InviteRow, 'acceptedBy'> & { acceptedById: string | null; acceptedByName: string | null })[]
  >`
    select
      i.id,
      i.organization_id,
      i.role,
      i.created_at,
      i.expires_at,
      i.accepted_at,
      i.revoked_at,
      u.id as accepted_by_id,
      u.name as accepted_by_name
    from invites i
    left join users u on u.id = i.accepted_by
    where i.organization_id = ${organizationId}
    order by i.created_at desc, i.id
  `;
  return rows.map(({ acceptedById, acceptedByName, ...invite }) => ({
    ...invite,
    acceptedBy: acceptedById ? { id: acceptedById, name: acceptedByName ?? '' } : null,
  }));
}

export interface InvitePreview {
  organization: { id: string; name: string };
  role: Role;
  expiresAt: Date;
  invitedBy: { name: string } | null;
  status: InviteStatus;
}

export async function findInviteByTokenHash(sql: Db, tokenHash: string, now: Date): Promise<InvitePreview | undefined> {
  const [row] = await sql<
    {
      organizationId: string;
      organizationName: string;
      role: Role;
      expiresAt: Date;
      acceptedAt: Date | null;
      revokedAt: Date | null;
      inviterName: string | null;
    }[]
  >`
    select
      o.id as organization_id,
      o.name as organization_name,
      i.role,
      i.expires_at,
      i.accepted_at,
      i.revoked_at,
      u.name as inviter_name
    from invites i
    join organizations o on o.id = i.organization_id
    left join users u on u.id = i.created_by
    where i.token_hash = ${tokenHash}
  `;
  if (!row) return undefined;
  return {
    organization: { id: row.organizationId, name: row.organizationName },
    role: row.role,
    expiresAt: row.expiresAt,
    invitedBy: row.inviterName === null ? null : { name: row.inviterName },
    status: inviteStatus(row, now),
  };
}

export type AcceptInviteResult =
  | { kind: 'joined' | 'already-member'; organization: { id: string; name: string; role: Role } }
  | { kind: 'not-found' }
  | { kind: 'unusable'; status: InviteStatus };

/** Uses the invite once: the row is locked so two people cannot both accept it. */
export async function acceptInvite(
  sql: Sql,
  tokenHash: string,
  userId: string,
  now: Date,
): Promise<AcceptInviteResult> {
  return sql.begin(async (tx) => {
    const [invite] = await tx<
      {
        id: string;
        organizationId: string;
        organizationName: string;
        role: Role;
        expiresAt: Date;
        acceptedAt: Date | null;
        revokedAt: Date | null;
      }[]
    >`
      select
        i.id,
        i.organization_id,
        o.name as organization_name,
        i.role,
        i.expires_at,
        i.accepted_at,
        i.revoked_at
      from invites i
      join organizations o on o.id = i.organization_id
      where i.token_hash = ${tokenHash}
      for update of i
    `;
    if (!invite) return { kind: 'not-found' } as const;
    const [existing] = await tx<{ role: Role }[]>`
      select
        role
      from memberships
      where organization_id = ${invite.organizationId}
        and user_id = ${userId}
    `;
    const organization = { id: invite.organizationId, name: invite.organizationName };
    // Opening a link to an organization one already belongs to is harmless and does not use it up.
    if (existing) return { kind: 'already-member', organization: { ...organization, role: existing.role } } as const;
    const status = inviteStatus(invite, now);
    if (status !== 'pending') return { kind: 'unusable', status } as const;
    await tx`
      insert into memberships (organization_id, user_id, role)
      values (${invite.organizationId}, ${userId}, ${invite.role})
    `;
    await tx`
      update invites
      set
        accepted_at = ${now},
        accepted_by = ${userId}
      where id = ${invite.id}
    `;
    return { kind: 'joined', organization: { ...organization, role: invite.role } } as const;
  });
}

/** Revokes a pending invite of the organization; false when there is no such pending invite. */
export async function revokeInvite(sql: Db, organizationId: string, inviteId: string, now: Date): Promise<boolean> {
  const rows = await sql`
    update invites
    set revoked_at = ${now}
    where id = ${inviteId}
      and organization_id = ${organizationId}
      and accepted_at is null
      and revoked_at is null
    returning id
  `;
  return rows.length > 0;
}
