// The server's field errors in the words of the form that shows them: no internal field names, and limits of a
// fraction the form asks for in percent said in percent.

/** "plannedValue" → "planned value", "links.0.url" → "links 1 url": a readable name for a path no form labels. */
export function humanizePath(path: string): string {
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replace(/([a-z])([A-Z])/g, '$1 $2')))
    .join(' ')
    .toLowerCase();
}

const PERCENT_LIMIT = /^(must be (?:at most|at least|more than|less than)) (-?\d+(?:\.\d+)?)(?: \(.*\))?$/;

/**
 * A limit the API states for a fraction ("must be at most 1 (a fraction: 0.15 is 15%)"), said for a field that
 * takes percent ("must be at most 100%"). Other messages are kept.
 */
export function asPercentMessage(message: string): string {
  const match = PERCENT_LIMIT.exec(message);
  if (!match) return message;
  const percent = Math.round(Number(match[2]) * 100_000) / 1000;
  return `${match[1]} ${percent}%`;
}
