import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dueDateError,
  effectDateAfterDueChange,
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

describe('effectDateAfterDueChange', () => {
  it('keeps the lead between the due date and the effect', () => {
    expect(effectDateAfterDueChange('2026-12-10', '2026-12-03', '2026-12-24')).toBe('2026-12-31');
    expect(effectDateAfterDueChange('2026-12-10', '2026-12-03', '2026-12-01')).toBe('2026-12-08');
    // Across the end of February and a daylight-saving change: calendar days, not hours.
    expect(effectDateAfterDueChange('2028-03-01', '2028-02-20', '2028-03-30')).toBe('2028-04-09');
  });

  it('moves the effect by exactly as many days as the due date (property)', () => {
    const day = fc
      .integer({ min: 0, max: 60_000 })
      .map((n) => new Date(Date.UTC(1950, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    fc.assert(
      fc.property(day, day, day, (effect, oldDue, newDue) => {
        const moved = effectDateAfterDueChange(effect, oldDue, newDue);
        expect(days(effect, moved)).toBe(days(oldDue, newDue));
      }),
    );
  });
});
