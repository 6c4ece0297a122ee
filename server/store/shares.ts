// Read-only share links to a closed review: a random token of which only the SHA-256 is kept, an expiry, and an
// optional revocation.
import type { Db } from '../db/connect.ts';

export interface ShareRow {
  id: string;
  reviewId: string;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export async function insertShare(
  sql: Db,
  input: { reviewId: string; organizationId: string; tokenHash: string; createdBy: string; at: Date; expiresAt: Date },
): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into review_shares (review_id, organization_id, token_hash, created_by, created_at, expires_at)
    values (
      ${input.reviewId}, ${input.organizationId}, ${input.tokenHash}, ${input.createdBy}, ${input.at},
      ${input.expiresAt}
    )
    returning id
  `;
  return row!;
}

export async function listShares(sql: Db, reviewId: string): Promise<ShareRow[]> {
  const rows = await sql<(Omit<ShareRow, 'createdBy'> & { creatorId: string | null; creatorName: string | null })[]>`
    select
      s.id,
      s.review_id,
      s.created_at,
      s.expires_at,
      s.revoked_at,
      s.last_used_at,
      u.id as creator_id,
      u.name as creator_name
    from review_shares s
    left join users u on u.id = s.created_by
    where s.review_id = ${reviewId}
    order by s.created_at desc, s.id
  `;
  return rows.map(({ creatorId, creatorName, ...share }) => ({
    ...share,
    createdBy: creatorId ? { id: creatorId, name: creatorName ?? '' } : null,
  }));
}

export async function revokeShare(sql: Db, reviewId: string, shareId: string, now: Date): Promise<boolean> {
  const rows = await sql`
    update review_shares
    set revoked_at = coalesce(revoked_at, ${now})
    where id = ${shareId} and review_id = ${reviewId}
    returning id
  `;
  return rows.length > 0;
}

/**
 * The review a live share link opens (not revoked, not expired, the review still closed), stamping its use.
 * The lookup is by the token's hash: equal hashes are found through the unique index, so timing tells nothing
 * about the token itself.
 */
export async function useShare(
  sql: Db,
  tokenHash: string,
  now: Date,
): Promise<{ shareId: string; reviewId: string; expiresAt: Date } | undefined> {
  const [row] = await sql<{ shareId: string; reviewId: string; expiresAt: Date }[]>`
    update review_shares s
    set last_used_at = ${now}
    from reviews r
    where s.token_hash = ${tokenHash}
      and s.revoked_at is null
      and s.expires_at > ${now}
      and r.id = s.review_id
      and r.status = 'closed'
    returning
      s.id as share_id,
      s.review_id,
      s.expires_at
  `;
  return row;
}
