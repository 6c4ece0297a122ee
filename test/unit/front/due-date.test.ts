import { describe, expect, it } from 'vitest';
import { daysBetween, describeDue, formatCalendarDate, formatMaxSlip, localToday } from '../../../src/lib/due-date.ts';
import { restoreTimeZoneAfterEach, TIME_ZONES, useTimeZone } from '../../support/time-zones.ts';

restoreTimeZoneAfterEach();

const open = { open: true, overdue: false };

describe('describeDue', () => {
  it('counts days ahead in calendar days', () => {
    expect(describeDue('2026-05-12', '2026-05-12', open)).toEqual({ text: 'due today', tone: 'today' });
    expect(describeDue('2026-05-13', '2026-05-12', open)).toEqual({ text: 'due tomorrow', tone: 'soon' });
    expect(describeDue('2026-05-15', '2026-05-12', open)).toEqual({ text: 'due in 3 days', tone: 'soon' });
    expect(describeDue('2026-05-19', '2026-05-12', open)).toEqual({ text: 'due in 7 days', tone: 'later' });
  });

  it('says how many days overdue when the server says so', () => {
    const overdue = { open: true, overdue: true };
    expect(describeDue('2026-05-10', '2026-05-12', overdue)).toEqual({ text: '2 days overdue', tone: 'overdue' });
    expect(describeDue('2026-05-11', '2026-05-12', overdue)).toEqual({ text: '1 day overdue', tone: 'overdue' });
    // Ahead of the server's day (UTC+14): never "0 days overdue".
    expect(describeDue('2026-05-12', '2026-05-12', overdue).text).toBe('1 day overdue');
  });

  it('does not call a date overdue that has passed only in the reader’s time zone', () => {
    expect(describeDue('2026-05-11', '2026-05-12', open)).toEqual({ text: 'due yesterday', tone: 'today' });
  });

  it('shows the date for items that are done or dropped', () => {
    const text = describeDue('2026-05-11', '2026-05-30', { open: false, overdue: false }).text;
    expect(text).toMatch(/^was due /);
    expect(text).toContain('2026');
  });

  it('crosses months, years and daylight-saving changes by whole days', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-05-12', '2026-05-10')).toBe(-2);
  });
});

describe('formatCalendarDate', () => {
  it.each(TIME_ZONES)('shows the calendar day itself in %s', (zone) => {
    useTimeZone(zone);
    expect(formatCalendarDate('2026-05-12')).toMatch(/\b12\b/);
    expect(formatCalendarDate('2026-05-12')).toMatch(/Tue/);
    expect(formatCalendarDate('2026-01-01')).toMatch(/\b1\b.*2026|2026.*\b1\b/);
    expect(formatCalendarDate('2026-12-31')).toMatch(/\b31\b/);
    expect(formatCalendarDate('2026-12-31')).toMatch(/Thu/);
  });
});

describe('localToday', () => {
  it.each(TIME_ZONES)('is the local calendar date in %s', (zone) => {
    useTimeZone(zone);
    const now = new Date(2026, 4, 12, 23, 59);
    expect(localToday(now)).toBe('2026-05-12');
    expect(localToday(new Date(2026, 0, 1, 0, 0))).toBe('2026-01-01');
    // One instant, two calendar days: noon UTC is already tomorrow at UTC+14 and still today at UTC-11.
    const noonUtc = new Date('2026-05-12T12:00:00Z');
    const expected = { 'Pacific/Kiritimati': '2026-05-13', 'Pacific/Pago_Pago': '2026-05-12' } as Record<
      string,
      string
    >;
    expect(localToday(noonUtc)).toBe(expected[zone] ?? '2026-05-12');
  });
});

describe('formatMaxSlip', () => {
  it('reads as a share of plan', () => {
    expect(formatMaxSlip(0.05)).toBe('within 5% of plan');
    expect(formatMaxSlip(0.125)).toBe('within 12.5% of plan');
  });
});
