import { describe, expect, it } from 'vitest';
import {
  dueDateError,
  isOverdue,
  statusAfterReassignment,
  transitionError,
} from '../../../../server/domain/action-items.ts';

describe('action item lifecycle', () => {
  const owner = { actorIsOwner: true, reason: null };
  it('goes proposed → committed → done, or to dropped with a reason', () => {
    expect(transitionError('proposed', 'committed', owner)).toBeNull();
    expect(transitionError('committed', 'done', owner)).toBeNull();
    expect(transitionError('committed', 'dropped', { actorIsOwner: false, reason: 'superseded' })).toBeNull();
    expect(transitionError('committed', 'dropped', { actorIsOwner: true, reason: '  ' })).toBe(
      'needs a reason to drop it',
    );
    expect(transitionError('proposed', 'done', owner)).toBe('cannot go from proposed to done');
    expect(transitionError('done', 'committed', owner)).toBe('cannot go from done to committed');
    expect(transitionError('committed', 'committed', owner)).toBe('is already committed');
  });

  it('lets only the owner commit', () => {
    expect(transitionError('proposed', 'committed', { actorIsOwner: false, reason: null })).toBe(
      'only the owner can commit to an action item',
    );
  });

  it('refuses due dates in the past, wherever the owner is', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(dueDateError('2026-11-24', now)).toBeNull();
    // At 10:00 UTC it is still the 23rd west of the date line's far side.
    expect(dueDateError('2026-11-23', now)).toBeNull();
    expect(dueDateError('2026-11-22', now)).toBe('must not be in the past (earliest 2026-11-23)');
    expect(dueDateError('2027-01-31', now)).toBeNull();
  });

  it('is overdue once the due date has passed everywhere, and only while open', () => {
    const now = new Date('2026-11-24T13:00:00Z');
    expect(isOverdue({ status: 'committed', dueDate: '2026-11-22' }, now)).toBe(true);
    expect(isOverdue({ status: 'committed', dueDate: '2026-11-24' }, now)).toBe(false);
    expect(isOverdue({ status: 'done', dueDate: '2026-11-01' }, now)).toBe(false);
  });
});

describe('reassignment', () => {
  it('takes a commitment back to proposed and keeps every other status', () => {
    expect(statusAfterReassignment('committed')).toBe('proposed');
    expect(statusAfterReassignment('proposed')).toBe('proposed');
    expect(statusAfterReassignment('done')).toBe('done');
    expect(statusAfterReassignment('dropped')).toBe('dropped');
  });
});
