import { describe, expect, it } from 'vitest';
import { participantListProblems } from '../../../../server/domain/review-roles.ts';

describe('participantListProblems', () => {
  it('accepts each person once with one facilitator', () => {
    expect(
      participantListProblems([
        { userId: 'a', role: 'facilitator' },
        { userId: 'b', role: 'owner' },
        { userId: 'c', role: 'viewer' },
      ]),
    ).toEqual([]);
    expect(participantListProblems([])).toEqual([]);
  });

  it('refuses a person named twice', () => {
    expect(
      participantListProblems([
        { userId: 'a', role: 'owner' },
        { userId: 'a', role: 'viewer' },
      ]),
    ).toEqual(['must name each member once']);
  });

  it('refuses two facilitators, and says both when both are wrong', () => {
    expect(
      participantListProblems([
        { userId: 'a', role: 'facilitator' },
        { userId: 'b', role: 'facilitator' },
      ]),
    ).toEqual(['may have one facilitator at most']);
    expect(
      participantListProblems([
        { userId: 'a', role: 'facilitator' },
        { userId: 'a', role: 'facilitator' },
      ]),
    ).toEqual(['must name each member once', 'may have one facilitator at most']);
  });
});
