// Who attended a review, for its minutes: everyone who joined the room (from the event log), in the order they
// first joined, and the listed participants who never did.
import type { RoomRole } from './board-schema.ts';
import type { ReplayEvent } from './replay.ts';

export interface MinutesAttendee {
  userId: string;
  name: string;
  role: RoomRole;
  facilitator: boolean;
  joinedAt: string;
}

export interface MinutesAbsentee {
  userId: string;
  name: string;
  role: RoomRole;
}

/** Attendees and absentees; someone who joined without being listed takes part as an owner (a contributor). */
export function attendanceOf(
  events: readonly ReplayEvent[],
  participants: readonly { userId: string; name: string; role: RoomRole }[],
  facilitatorId: string | null,
  nameOf: (userId: string) => string,
): { attendees: MinutesAttendee[]; absent: MinutesAbsentee[] } {
  const roleOf = new Map(participants.map((p) => [p.userId, p.role]));
  const joined = new Map<string, number>();
  for (const event of events)
    if (event.kind === 'room.joined' && event.actorId && !joined.has(event.actorId))
      joined.set(event.actorId, event.at);
  const attendees = [...joined].map(([userId, at]) => ({
    userId,
    name: nameOf(userId),
    role: roleOf.get(userId) ?? ('owner' as RoomRole),
    facilitator: userId === facilitatorId,
    joinedAt: new Date(at).toISOString(),
  }));
  const absent = participants
    .filter((p) => !joined.has(p.userId))
    .map((p) => ({ userId: p.userId, name: p.name, role: p.role }));
  return { attendees, absent };
}
