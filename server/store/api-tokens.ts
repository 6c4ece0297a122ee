// API tokens for data sources: hashed at rest, revocable, stamped when used.
import type { Db } from '../db/connect.ts';

export interface ApiTokenRow {
  id: string;
  name: string;
  createdAt: Date;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function insertApiToken(
  sql: Db,
  input: { organizationId: string; name: string; tokenHash: string; createdBy: { id: string; name: string } },
): Promise<ApiTokenRow> {
  const [row] = await sql<Omit<ApiTokenRow, 'createdBy'>[]>`
    insert into api_tokens (organization_id, name, token_hash, created_by)
    values (${input.organizationId}, ${input.name}, ${input.tokenHash}, ${input.createdBy.id})
    returning
      id,
      name,
      created_at,
      last_used_at,
      revoked_at
  `;
  return { ...row!, createdBy: input.createdBy };
}

export async function listApiTokens(sql: Db, organizationId: string): Promise<ApiTokenRow[]> {
  const rows = await sql<(Omit<ApiTokenRow, 'createdBy'> & { creatorId: string | null; creatorName: string | null })[]>`
    select
      t.id,
      t.name,
      t.created_at,
      t.last_used_at,
      t.revoked_at,
      u.id as creator_id,
      u.name as creator_name
    from api_tokens t
    left join users u on u.id = t.created_by
    where t.organization_id = ${organizationId}
    order by t.created_at desc, t.id
  `;
  return rows.map(({ creatorId, creatorName, ...token }) => ({
    ...token,
    createdBy: creatorId ? { id: creatorId, name: creatorName ?? '' } : null,
  }));
}

export async function revokeApiToken(sql: Db, organizationId: string, tokenId: string, now: Date): Promise<boolean> {
  const rows = await sql`
    update api_tokens
    set revoked_at = coalesce(revoked_at, ${now})
    where id = ${tokenId}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

export interface TokenPrincipal {
  tokenId: string;
  tokenName: string;
  organizationId: string;
  organizationName: string;
}

/** The organization a live (unrevoked) token speaks for; marks the token as used. */
export async function useApiToken(sql: Db, tokenHash: string, now: Date): Promise<TokenPrincipal | undefined> {
  const [row] = await sql<TokenPrincipal[]>`
    update api_tokens t
    set last_used_at = ${now}
    from organizations o
    where t.token_hash = ${tokenHash}
      and t.revoked_at is null
      and o.id = t.organization_id
    returning
      t.id as token_id,
      t.name as token_name,
      o.id as organization_id,
      o.name as organization_name
  `;
  return row;
}
