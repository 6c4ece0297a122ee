// What a new review names must be its organization's own: the metrics and initiatives in scope, and the members
// listed as participants (each once, one facilitator at most). The route turns the problems into its 400.
import type { Db } from '../db/connect.ts';
import type { RoomRole } from '../domain/board-schema.ts';
import { participantListProblems } from '../domain/review-roles.ts';
import { idsInOrganization } from '../store/objectives.ts';
import { listMembers } from '../store/organizations.ts';

export interface ReviewReferences {
  metricIds: string[];
  initiativeIds: string[];
  participants: readonly { userId: string; role: RoomRole }[];
}

/** A field of the request and what is wrong with it, as the API's issues name them. */
export interface ReferenceProblem {
  path: string;
  message: string;
}

/** Every problem with what a new review in `organizationId` references; none: it may be created. */
export async function reviewReferenceProblems(
  sql: Db,
  organizationId: string,
  { metricIds, initiativeIds, participants }: ReviewReferences,
): Promise<ReferenceProblem[]> {
  const problems: ReferenceProblem[] = [];
  if (
    metricIds.length &&
    (await idsInOrganization(sql, 'metrics', organizationId, metricIds)).size !== metricIds.length
  )
    problems.push({ path: 'metricIds', message: 'must all be metrics of this organization' });
  if (
    initiativeIds.length &&
    (await idsInOrganization(sql, 'initiatives', organizationId, initiativeIds)).size !== initiativeIds.length
  )
    problems.push({ path: 'initiativeIds', message: 'must all be initiatives of this organization' });
  const members = new Set((await listMembers(sql, organizationId)).map((m) => m.userId));
  participants.forEach((p, index) => {
    if (!members.has(p.userId))
      problems.push({ path: `participants.${index}.userId`, message: 'must be a member of this organization' });
  });
  for (const message of participantListProblems(participants)) problems.push({ path: 'participants', message });
  return problems;
}
