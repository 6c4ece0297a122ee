// Who may do what in a review room.
import type { RoomRole } from './board-schema.ts';

export type ReviewStatus = 'scheduled' | 'live' | 'closed';

export interface RoomAccess {
  role: RoomRole;
  /** Read-only connections receive everything; their document updates are dropped. */
  readOnly: boolean;
}

/**
 * A member's room role is their participant role, or `owner` (a contributor) when they were not listed. Viewers
 * never edit, and nobody edits a closed review.
 */
export function roomAccess(participantRole: RoomRole | undefined, status: ReviewStatus): RoomAccess {
  const role = participantRole ?? 'owner';
  return { role, readOnly: role === 'viewer' || status === 'closed' };
}

/** Facilitating (status, phase, participants) is for the facilitator, and for organization admins. */
export function canFacilitate(role: RoomRole, organizationRole: 'admin' | 'member'): boolean {
  return role === 'facilitator' || organizationRole === 'admin';
}

/** What is wrong with a review's list of participants: each person named once, one facilitator at most. */
export function participantListProblems(participants: readonly { userId: string; role: RoomRole }[]): string[] {
  const problems: string[] = [];
  if (new Set(participants.map((p) => p.userId)).size !== participants.length)
    problems.push('must name each member once');
  if (participants.filter((p) => p.role === 'facilitator').length > 1)
    problems.push('may have one facilitator at most');
  return problems;
}
