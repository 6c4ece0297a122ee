// Cells of CSV exports made safe for spreadsheets (OWASP's CSV injection advice): text a spreadsheet would run as a
// formula is prefixed with ' so that it shows as text. Every CSV export casts its strings through this.

/** What starts a formula in Excel, LibreOffice or Google Sheets (tab and CR: they are skipped, then the rest runs). */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A separator followed by a formula character: a spreadsheet set to split at `;` or tab (many locales) splits the
 * cell there, and the part after it starts a formula, even if this file's separator is a comma.
 */
const FORMULA_AFTER_SEPARATOR = /[,;\t][=+\-@\t\r]/;

/** The cell as text no spreadsheet runs: unchanged unless it could start a formula, then prefixed with '. */
export function defuseCsvCell(value: string): string {
  return FORMULA_START.test(value) || FORMULA_AFTER_SEPARATOR.test(value) ? `'${value}` : value;
}
