// What any field may hold, whatever it means: text without control characters, and dates in a window that both
// PostgreSQL's timestamptz and JavaScript hold exactly. Used by the API's schemas and by the CSV import.

/** The earliest date any field accepts. */
export const EARLIEST_DATE = '1900-01-01';
/** The first date no field accepts: far beyond any plan, well inside what PostgreSQL and JavaScript hold. */
export const DATE_LIMIT = '2200-01-01';
/** A reading may be this far ahead of the server's clock (a source in another time zone, a skewed clock). */
export const READING_LEAD_MS = 24 * 3600_000;

const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LIMIT_MS = Date.parse(`${DATE_LIMIT}T00:00:00Z`);

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The first C0 control in the text; multi-line text may hold tabs, line feeds and CR before LF. */
function firstControl(text: string, multiline: boolean): number | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20) continue;
    if (multiline && (code === TAB || code === LINE_FEED)) continue;
    if (multiline && code === CARRIAGE_RETURN && text.charCodeAt(index + 1) === LINE_FEED) continue;
    return code;
  }
  return undefined;
}

/**
 * Why a text is refused, or undefined: NUL (which PostgreSQL cannot store) and other control characters have no
 * place in a name or a note; multi-line text may hold tabs and line breaks.
 */
export function controlCharacterProblem(text: string, options: { multiline: boolean }): string | undefined {
  const code = firstControl(text, options.multiline);
  if (code === undefined) return undefined;
  const allowed = options.multiline ? ' (tabs and line breaks are fine)' : '';
  return `must not contain control characters such as U+${code.toString(16).toUpperCase().padStart(4, '0')}${allowed}`;
}

/** Why a date is refused, or undefined: before 1900 or from 2200 on is a typing mistake, or an attack. */
export function dateProblem(date: Date): string | undefined {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return 'must be a valid date';
  if (ms < EARLIEST_MS) return `must not be before ${EARLIEST_DATE}`;
  if (ms >= LIMIT_MS) return `must be before ${DATE_LIMIT}`;
  return undefined;
}

/** "a day", "an hour", "36 hours": how a tolerance reads in a refusal. */
function describeLead(leadMs: number): string {
  if (leadMs === 24 * 3600_000) return 'a day';
  if (leadMs === 3600_000) return 'an hour';
  const hours = leadMs / 3600_000;
  return Number.isInteger(hours) ? `${hours} hours` : `${Math.round(leadMs / 60_000)} minutes`;
}

/**
 * Why the time of a reading is refused, or undefined: readings are measured, so not more than `leadMs` ahead of
 * now (READING_FUTURE_TOLERANCE_HOURS; a day unless set).
 */
export function readingTimeProblem(at: Date, now: Date, leadMs: number = READING_LEAD_MS): string | undefined {
  const problem = dateProblem(at);
  if (problem) return problem;
  if (at.getTime() > now.getTime() + leadMs) {
    return leadMs === 0
      ? `must not be after now (${now.toISOString()})`
      : `must not be more than ${describeLead(leadMs)} after now (${now.toISOString()})`;
  }
  return undefined;
}
