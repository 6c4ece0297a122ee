// What this person may change on the live board, read from the server's permission table
// (server/domain/board-permissions.ts): the page shows only the controls whose writes the server would take.
// The server judges every update by the same table; hiding a control here is a courtesy, not the rule.
import type { RoomRole } from '../../../server/domain/board.ts';
import { mayWrite, type BoardWriter } from '../../../server/domain/board-permissions.ts';

export interface BoardRights {
  /** Set the item the room is on. */
  moveRoom: boolean;
  runTimer: boolean;
  /** Start and stop follow-me. */
  leadRoom: boolean;
  setVotesPerPerson: boolean;
  addTopic: boolean;
  reorder: boolean;
  editNotes: boolean;
  draftDecisions: boolean;
}

/** What the review API says about me in this room. */
export interface RoomSelf {
  role: RoomRole;
  readOnly: boolean;
  /** The room's facilitator or an organization admin. */
  canFacilitate: boolean;
}

export function boardRights(me: RoomSelf, userId: string): BoardRights {
  // The table's facilitator rule is "facilitator or admin", which is what canFacilitate says: an admin stands in
  // for both (a facilitator's organization role changes nothing in the table).
  const writer: BoardWriter = {
    userId,
    roomRole: me.readOnly ? 'viewer' : me.role,
    organizationRole: me.canFacilitate ? 'admin' : 'member',
  };
  const may = (path: string) => mayWrite(writer, 'change', path);
  return {
    moveRoom: may('room.currentItemId'),
    runTimer: may('room.timer'),
    leadRoom: may('room.follow'),
    setVotesPerPerson: may('room.votesPerPerson'),
    addTopic: mayWrite(writer, 'create', 'items.new'),
    reorder: may('items.any.order'),
    editNotes: mayWrite(writer, 'create', 'items.any.notes[]'),
    draftDecisions: mayWrite(writer, 'create', 'items.any.decisions.new'),
  };
}

/** Before the review has loaded: nothing. */
export const NO_RIGHTS: BoardRights = {
  moveRoom: false,
  runTimer: false,
  leadRoom: false,
  setVotesPerPerson: false,
  addTopic: false,
  reorder: false,
  editNotes: false,
  draftDecisions: false,
};
