// Notes as the minutes show them: the triage template's prompts ("Owner:", "Due date:") that nobody filled in are
// left out, so the minutes carry what was said and not the form it was said in.

/** A line that opens a field: a short capitalised label and a colon, with or without text after it. */
const FIELD_START = /^\s*[A-Z][\w ’'()/-]{0,40}:/;
/** A field's label with nothing after it. */
const BARE_LABEL = /^\s*[A-Z][\w ’'()/-]{0,40}:\s*$/;

/**
 * The notes without empty fields: a bare label whose next non-blank line opens another field (or is the end) is
 * dropped; runs of blank lines left behind become one.
 */
export function omitEmptyFields(notes: string): string {
  const lines = notes.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  lines.forEach((line, index) => {
    if (BARE_LABEL.test(line)) {
      const next = lines.slice(index + 1).find((candidate) => candidate.trim() !== '');
      if (next === undefined || FIELD_START.test(next)) return;
    }
    kept.push(line);
  });
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
