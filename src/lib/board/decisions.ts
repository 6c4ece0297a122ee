// What the room shows about decisions: calendar dates as written (never shifted through UTC), the expected effect
// in words, and what a draft still needs before it can be recorded.
import type { DecisionView } from '../../../server/domain/board.ts';
import { titleProblem } from '../title-limit';

const calendar = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const calendarWithYear = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Fri, 12 Dec" for a YYYY-MM-DD date (the year when it is not this one). */
export function formatDueDate(date: string, now: Date = new Date()): string {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return date;
  const at = new Date(Date.UTC(year, month - 1, day));
  return year === now.getFullYear() ? calendar.format(at) : calendarWithYear.format(at);
}

/** Today in the viewer's own time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day! + days)).toISOString().slice(0, 10);
}

/** "Fleet fuel cost savings back within 5% of plan by 31 Jan 2027". */
export function describeEffect(metricName: string, maxSlip: number, by: string, now: Date = new Date()): string {
  const percent = Math.round(maxSlip * 1000) / 10;
  const target = percent === 0 ? 'on plan' : `within ${percent}% of plan`;
  return `${metricName} ${target} by ${formatDueDate(by, now)}`;
}

/** Why a draft cannot be recorded yet, or null when it can. */
export function draftProblem(decision: DecisionView, today: string): string | null {
  const titleIssue = titleProblem(decision.title, 'decision');
  if (titleIssue) return titleIssue;
  if (!decision.ownerId) return 'Name one accountable owner';
  if (!decision.dueDate) return 'Set a due date';
  if (decision.dueDate < today) return 'The due date lies in the past';
  if ((decision.expectedMaxSlip === null) !== (decision.expectedBy === null))
    return 'Complete the expected effect (how close to plan, and by when) or clear it';
  if (decision.expectedBy && !decision.metricId) return 'An expected effect needs a linked metric';
  return null;
}
