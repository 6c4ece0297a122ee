// When a review may be scheduled: not in the past (a little slack for the time it takes to fill the form), and a
// second review with the same title on the same calendar day is flagged, not refused (a meeting split in two, or
// rescheduled within the day, is legitimate; the person scheduling it confirms).

/** A start this far behind the clock still counts as "now": the form's default minute, a slow submit, clock skew. */
export const PAST_START_TOLERANCE_MS = 10 * 60_000;

export const PAST_START_MESSAGE = 'The review must start in the future';

/** Why `scheduledAt` cannot be the review's start, or undefined when it can. */
export function scheduleProblem(
  scheduledAt: Date,
  now: Date,
  toleranceMs = PAST_START_TOLERANCE_MS,
): string | undefined {
  return scheduledAt.getTime() < now.getTime() - toleranceMs ? PAST_START_MESSAGE : undefined;
}

export interface ScheduledReview {
  id: string;
  title: string;
  scheduledAt: string | Date;
}

/** The calendar day of an instant in an IANA time zone, as YYYY-MM-DD. */
export function calendarDay(at: string | Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

const sameTitle = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en') === b.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

/**
 * The reviews that share the candidate's title (ignoring case and spacing) and its calendar day in `timeZone`;
 * the candidate itself (same id) is left out.
 */
export function sameDayReviews<T extends ScheduledReview>(
  reviews: readonly T[],
  candidate: { id?: string; title: string; scheduledAt: string | Date },
  timeZone: string,
): T[] {
  const day = calendarDay(candidate.scheduledAt, timeZone);
  return reviews.filter(
    (review) =>
      review.id !== candidate.id &&
      sameTitle(review.title, candidate.title) &&
      calendarDay(review.scheduledAt, timeZone) === day,
  );
}
