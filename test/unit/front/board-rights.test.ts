import { describe, expect, it } from 'vitest';
import { boardRights } from '../../../src/lib/board/rights.ts';

describe('the board controls a person sees', () => {
  it('gives the facilitator and admins the room, everyone in it the agenda and notes, viewers nothing', () => {
    const facilitator = boardRights({ role: 'facilitator', readOnly: false, canFacilitate: true }, 'f');
    const admin = boardRights({ role: 'owner', readOnly: false, canFacilitate: true }, 'a');
    const owner = boardRights({ role: 'owner', readOnly: false, canFacilitate: false }, 'o');
    const viewer = boardRights({ role: 'viewer', readOnly: true, canFacilitate: false }, 'v');
    const closedFacilitator = boardRights({ role: 'facilitator', readOnly: true, canFacilitate: true }, 'f');
    const all = {
      moveRoom: true,
      runTimer: true,
      leadRoom: true,
      setVotesPerPerson: true,
      addTopic: true,
      reorder: true,
      editNotes: true,
      draftDecisions: true,
    };
    const none = Object.fromEntries(Object.keys(all).map((key) => [key, false]));
    expect(facilitator).toEqual(all);
    expect(admin).toEqual(all);
    expect(owner).toEqual({ ...all, moveRoom: false, runTimer: false, leadRoom: false, setVotesPerPerson: false });
    expect(viewer).toEqual(none);
    expect(closedFacilitator).toEqual(none);
  });
});
