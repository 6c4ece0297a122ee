import { describe, expect, it } from 'vitest';
import type { DecisionView } from '../../../server/domain/board.ts';
import { addDays, describeEffect, draftProblem, formatDueDate, localToday } from '../../../src/lib/board/decisions.ts';
import { restoreTimeZoneAfterEach, TIME_ZONES, useTimeZone } from '../../support/time-zones.ts';

restoreTimeZoneAfterEach();

const draft = (fields: Partial<DecisionView> = {}): DecisionView => ({
  id: 'd1',
  title: 'Pilot eco-driving',
  ownerId: 'u1',
  dueDate: '2026-12-05',
  createdBy: 'u2',
  metricId: null,
  initiativeId: null,
  expectedMaxSlip: null,
  expectedBy: null,
  actionItemId: null,
  status: null,
  proposedDueDate: null,
  committedAt: null,
  verification: null,
  ...fields,
});

describe('decision dates', () => {
  it.each(TIME_ZONES)('shows a calendar date as written in %s', (zone) => {
    useTimeZone(zone);
    const shown = formatDueDate('2026-12-05', new Date(2026, 10, 28));
    expect(shown).toMatch(/5/);
    expect(shown).toMatch(/Dec/);
    expect(shown).not.toMatch(/2026/);
    expect(formatDueDate('2027-01-31', new Date(2026, 10, 28))).toMatch(/2027/);
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(localToday(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
  });

  it('says the expected effect in words', () => {
    expect(describeEffect('Fuel cost', 0.05, '2027-01-31', new Date(2026, 10, 28))).toMatch(
      /^Fuel cost within 5% of plan by .*2027/,
    );
    expect(describeEffect('Fuel cost', 0, '2027-01-31')).toMatch(/^Fuel cost on plan by/);
  });
});

describe('draftProblem', () => {
  it('names what a draft still needs', () => {
    const today = '2026-11-28';
    expect(draftProblem(draft(), today)).toBeNull();
    expect(draftProblem(draft({ title: '  ' }), today)).toMatch(/title/);
    expect(draftProblem(draft({ ownerId: null }), today)).toMatch(/owner/);
    expect(draftProblem(draft({ dueDate: null }), today)).toMatch(/due date/);
    expect(draftProblem(draft({ dueDate: '2026-11-27' }), today)).toMatch(/past/);
    expect(draftProblem(draft({ expectedMaxSlip: 0.05 }), today)).toMatch(/expected effect/);
    expect(draftProblem(draft({ expectedMaxSlip: 0.05, expectedBy: '2027-01-31' }), today)).toMatch(/metric/);
    expect(draftProblem(draft({ expectedMaxSlip: 0.05, expectedBy: '2027-01-31', metricId: 'm1' }), today)).toBeNull();
  });
});
