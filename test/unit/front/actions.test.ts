import { describe, expect, it } from 'vitest';
import { describeChange, replayHref } from '../../../src/lib/actions.ts';
import type { ActionItem } from '../../../src/lib/api/types.ts';

describe('describeChange', () => {
  it('tells what happened to an action item in words', () => {
    expect(describeChange({ change: 'committed', data: { status: 'committed' } })).toBe('committed to it');
    expect(describeChange({ change: 'done', data: { status: 'done' } })).toBe('marked it done');
    expect(describeChange({ change: 'dropped', data: { status: 'dropped', dropReason: 'Too costly' } })).toBe(
      'dropped it: “Too costly”',
    );
    expect(describeChange({ change: 'recorded', data: { dueDate: '2026-05-12' } })).toMatch(
      /^recorded the decision, due .*12.*2026/,
    );
    expect(describeChange({ change: 'due date proposed', data: { proposedDueDate: '2026-06-01' } })).toMatch(
      /^proposed another due date: /,
    );
    expect(describeChange({ change: 'not verified', data: {} })).toMatch(/^not verified/);
  });

  it('names what was changed, with the new owner by name', () => {
    const names = new Map([['u1', 'Sofia Owner']]);
    expect(describeChange({ change: 'changed', data: { title: 'Pilot', ownerId: 'u1' } }, names)).toBe(
      'changed the title to “Pilot”, the owner to Sofia Owner',
    );
    expect(describeChange({ change: 'changed', data: {} })).toBe('changed it');
    expect(describeChange({ change: 'reassigned by admin', data: { ownerId: 'u2' } })).toBe(
      'reassigned by admin: the owner to someone else',
    );
  });
});

describe('replayHref', () => {
  it('points at the moment the decision was recorded', () => {
    const action = { reviewId: 'r1', createdAt: '2026-05-12T09:30:00.000Z' } as ActionItem;
    expect(replayHref(action)).toBe(`/reviews/r1/replay?at=${Date.parse('2026-05-12T09:30:00.000Z')}`);
    expect(replayHref({ ...action, reviewId: null })).toBeNull();
  });
});
