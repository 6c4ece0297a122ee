import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, isOverdue } from '../../../../server/domain/action-items.ts';
import { overdueCutoff } from '../../../../server/store/action-lists.ts';

const day = 86_400_000;
const moment = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') });

describe('overdueCutoff', () => {
  it('marks the same items overdue as the domain rule (open and due before the cutoff)', () => {
    fc.assert(
      fc.property(
        moment,
        fc.integer({ min: -3, max: 3 }),
        fc.constantFrom(...ACTION_STATUSES),
        (at, offset, status) => {
          const now = new Date(at);
          const dueDate = new Date(at + offset * day).toISOString().slice(0, 10);
          const open = status === 'proposed' || status === 'committed';
          expect(open && dueDate < overdueCutoff(now)).toBe(isOverdue({ status, dueDate }, now));
        },
      ),
    );
  });

  it('turns at noon UTC, when the day ends in UTC−12', () => {
    expect(overdueCutoff(new Date('2026-05-11T11:59:59Z'))).toBe('2026-05-10');
    expect(overdueCutoff(new Date('2026-05-11T12:00:00Z'))).toBe('2026-05-11');
  });
});
