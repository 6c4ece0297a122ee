// Due dates are calendar dates (YYYY-MM-DD): compared and shown as the same day everywhere, never shifted through
// UTC. "Today" is the reader's own calendar day.
const DAY_MS = 86_400_000;

/** The reader's calendar date, in their own time zone. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const calendar = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** "Tue, 12 May 2026" in the reader's language, the same day whatever their time zone. */
export function formatCalendarDate(date: string): string {
  return calendar.format(new Date(`${date}T00:00:00Z`));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export type DueTone = 'overdue' | 'today' | 'soon' | 'later' | 'closed';

/**
 * How a due date reads today: "due in 3 days", "2 days overdue". `overdue` is the server's verdict (the day has
 * ended everywhere on earth); a date past only in the reader's zone reads "due yesterday", not overdue yet.
 */
export function describeDue(
  dueDate: string,
  today: string,
  item: { overdue: boolean; open: boolean },
): { text: string; tone: DueTone } {
  const days = daysBetween(today, dueDate);
  if (!item.open) return { text: `was due ${formatCalendarDate(dueDate)}`, tone: 'closed' };
  if (item.overdue) return { text: `${plural(Math.max(1, -days), 'day')} overdue`, tone: 'overdue' };
  if (days < -1) return { text: `due ${plural(-days, 'day')} ago`, tone: 'today' };
  if (days === -1) return { text: 'due yesterday', tone: 'today' };
  if (days === 0) return { text: 'due today', tone: 'today' };
  if (days === 1) return { text: 'due tomorrow', tone: 'soon' };
  return { text: `due in ${plural(days, 'day')}`, tone: days < 7 ? 'soon' : 'later' };
}

/** "within 5% of plan". */
export function formatMaxSlip(maxSlip: number): string {
  return `within ${Math.round(maxSlip * 1000) / 10}% of plan`;
}
