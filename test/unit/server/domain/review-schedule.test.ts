import { describe, expect, it } from 'vitest';
import {
  PAST_START_MESSAGE,
  PAST_START_TOLERANCE_MS,
  calendarDay,
  sameDayReviews,
  scheduleProblem,
} from '../../../../server/domain/review-schedule.ts';

const now = new Date('2026-12-04T10:00:00Z');

describe('a review start', () => {
  it('may be now or later', () => {
    expect(scheduleProblem(now, now)).toBeUndefined();
    expect(scheduleProblem(new Date('2026-12-05T09:00:00Z'), now)).toBeUndefined();
  });

  it('may be a little behind the clock (the form default, a slow submit)', () => {
    expect(scheduleProblem(new Date(now.getTime() - PAST_START_TOLERANCE_MS), now)).toBeUndefined();
  });

  it('may not be further in the past', () => {
    expect(scheduleProblem(new Date(now.getTime() - PAST_START_TOLERANCE_MS - 1), now)).toBe(PAST_START_MESSAGE);
    expect(scheduleProblem(new Date('2025-12-04T10:00:00Z'), now)).toBe('The review must start in the future');
  });
});

describe('reviews on the same day', () => {
  const reviews = [
    { id: 'a', title: 'Weekly ops review', scheduledAt: '2026-12-07T09:00:00.000Z' },
    { id: 'b', title: 'Weekly ops review', scheduledAt: '2026-12-08T09:00:00.000Z' },
    { id: 'c', title: 'Quarterly planning', scheduledAt: '2026-12-07T15:00:00.000Z' },
  ];

  it('share the title, ignoring case and spacing, and the calendar day', () => {
    const found = sameDayReviews(reviews, { title: ' weekly  OPS review', scheduledAt: '2026-12-07T16:00:00Z' }, 'UTC');
    expect(found.map((r) => r.id)).toEqual(['a']);
  });

  it('are none for another title or another day', () => {
    expect(sameDayReviews(reviews, { title: 'Weekly ops', scheduledAt: '2026-12-07T16:00:00Z' }, 'UTC')).toEqual([]);
    expect(sameDayReviews(reviews, { title: 'Weekly ops review', scheduledAt: '2026-12-09T09:00:00Z' }, 'UTC')).toEqual(
      [],
    );
  });

  it('leave out the review itself when it is rescheduled', () => {
    expect(
      sameDayReviews(reviews, { id: 'a', title: 'Weekly ops review', scheduledAt: '2026-12-07T10:00:00Z' }, 'UTC'),
    ).toEqual([]);
  });

  it('fall on the day of the given time zone', () => {
    // 23:30 UTC on the 7th is already the 8th in Berlin.
    expect(calendarDay('2026-12-07T23:30:00Z', 'Europe/Berlin')).toBe('2026-12-08');
    const late = { title: 'Weekly ops review', scheduledAt: '2026-12-07T23:30:00Z' };
    expect(sameDayReviews(reviews, late, 'UTC').map((r) => r.id)).toEqual(['a']);
    expect(sameDayReviews(reviews, late, 'Europe/Berlin').map((r) => r.id)).toEqual(['b']);
  });
});
