// The participants of a review and their room roles (one facilitator at a time), and what the sync upgrade checks.
import { transaction, type Db } from '../db/connect.ts';
import type { RoomRole } from '../domain/board.ts';
import type { ReviewStatus } from './reviews.ts';

export interface ParticipantRow {
  userId: string;
  name: string;
  email: string;
  role: RoomRole;
}

export async function listParticipants(sql: Db, reviewId: string): Promise<ParticipantRow[]> {
  return sql<ParticipantRow[]>`
    select
      p.user_id,
      u.name,
      u.email,
      p.role
    from review_participants p
    join users u on u.id = p.user_id
    where p.review_id = ${reviewId}
    order by case p.role when 'facilitator' then 0 when 'owner' then 1 else 2 end, u.name, u.id
  `;
}

/** What the sync upgrade decides on, in one round trip: the review, and the user's place in it. */
export interface RoomAccessRow {
  organizationId: string;
  status: ReviewStatus;
  /** The user's role in the review's organization; null when they are not a member. */
  membershipRole: 'admin' | 'member' | null;
  /** The user's participant role in the review; null when they are not listed. */
  participantRole: RoomRole | null;
}

export async function findRoomAccess(sql: Db, reviewId: string, userId: string): Promise<RoomAccessRow | undefined> {
  const [row] = await sql<RoomAccessRow[]>`
    select
      r.organization_id,
      r.status,
      m.role as membership_role,
      p.role as participant_role
    from reviews r
    left join memberships m on m.organization_id = r.organization_id and m.user_id = ${userId}
    left join review_participants p on p.review_id = r.id and p.user_id = ${userId}
    where r.id = ${reviewId}
  `;
  return row;
}

/** The explicit room role of a user in a review, if any. */
export async function findParticipantRole(sql: Db, reviewId: string, userId: string): Promise<RoomRole | undefined> {
  const [row] = await sql<{ role: RoomRole }[]>`
    select role
    from review_participants
    where review_id = ${reviewId} and user_id = ${userId}
  `;
  return row?.role;
}

/**
 * Gives a user a room role. Making someone facilitator turns the previous facilitator into an owner, in the
 * same transaction (one facilitator at a time).
 */
export async function setParticipantRole(sql: Db, reviewId: string, userId: string, role: RoomRole): Promise<void> {
  await transaction(sql, async (tx) => {
    await tx`
      select id
      from reviews
      where id = ${reviewId}
      for update
    `;
    if (role === 'facilitator') {
      await tx`
        update review_participants
        set role = 'owner'
        where review_id = ${reviewId} and role = 'facilitator' and user_id <> ${userId}
      `;
    }
    await tx`
      insert into review_participants (review_id, user_id, role)
      values (${reviewId}, ${userId}, ${role})
      on conflict (review_id, user_id) do update set role = excluded.role
    `;
  });
}
