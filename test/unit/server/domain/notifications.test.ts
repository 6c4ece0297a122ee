import { describe, expect, it } from 'vitest';
import type { ActionStatus } from '../../../../server/domain/action-items.ts';
import {
  addDays,
  alertNotification,
  assignedNotification,
  dueAlert,
  settlementOf,
} from '../../../../server/domain/notifications.ts';

const item = {
  id: 'a1',
  organizationId: 'o1',
  title: 'Pilot eco-driving',
  ownerId: 'u-owner',
  dueDate: '2026-03-10',
  status: 'proposed' as const,
};

describe('due soon and overdue', () => {
  const now = new Date('2026-03-08T12:00:00Z');

  it('calls an open item due within two days "due soon"', () => {
    expect(dueAlert({ ...item, dueDate: '2026-03-08' }, now)).toBe('due_soon');
    expect(dueAlert({ ...item, dueDate: '2026-03-10' }, now)).toBe('due_soon');
    expect(dueAlert({ ...item, dueDate: '2026-03-11' }, now)).toBeNull();
  });

  it('calls it overdue once its date passed everywhere on earth, and says nothing about closed items', () => {
    expect(dueAlert({ ...item, dueDate: '2026-03-06' }, now)).toBe('overdue');
    expect(dueAlert({ ...item, dueDate: '2026-03-06', status: 'committed' }, now)).toBe('overdue');
    expect(dueAlert({ ...item, dueDate: '2026-03-06', status: 'done' }, now)).toBeNull();
    expect(dueAlert({ ...item, dueDate: '2026-03-09', status: 'dropped' }, now)).toBeNull();
  });

  it('adds calendar days across months and years', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('writes the alert for the owner', () => {
    expect(alertNotification(item, 'overdue')).toMatchObject({
      userId: 'u-owner',
      actionItemId: 'a1',
      kind: 'overdue',
      title: 'Overdue: “Pilot eco-driving”',
    });
  });
});

describe('assigned', () => {
  it('tells the owner about an item someone else recorded for them', () => {
    expect(assignedNotification({ ...item, actorId: 'u-facilitator' })).toMatchObject({
      userId: 'u-owner',
      kind: 'assigned',
      body: 'Due 2026-03-10. Commit to it, or propose another date.',
    });
  });

  it('does not tell people what they did themselves', () => {
    expect(assignedNotification({ ...item, actorId: 'u-owner' })).toBeNull();
  });
});

describe('settlementOf', () => {
  const me = 'user-me';
  const item = (status: ActionStatus, ownerId = me) => ({ status, ownerId });

  it('answers "you own it, commit to it" once the owner commits', () => {
    expect(settlementOf('assigned', me, item('proposed'))).toBeNull();
    expect(settlementOf('assigned', me, item('committed'))).toBe('committed');
  });

  it('does not let a commitment answer due soon or overdue: only done, dropped or a new owner do', () => {
    for (const kind of ['due_soon', 'overdue'] as const) {
      expect(settlementOf(kind, me, item('committed'))).toBeNull();
      expect(settlementOf(kind, me, item('done'))).toBe('done');
      expect(settlementOf(kind, me, item('dropped'))).toBe('dropped');
      expect(settlementOf(kind, me, item('committed', 'someone-else'))).toBe('handed over');
    }
  });

  it('leaves notifications that are not about an item standing', () => {
    expect(settlementOf('metric_stale', me, null)).toBeNull();
    expect(settlementOf('assigned', me, null)).toBeNull();
  });
});
