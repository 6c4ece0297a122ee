// The README prints tables the code renders (who may change what on the board and through the API); tests compare
// the two. Prettier pads the README's cells, so rows are compared cell by cell, trimmed.
import { readFileSync } from 'node:fs';

/** The text between `<!-- marker: …` and `<!-- /marker -->` in the README, or null when the marker is missing. */
export function readmeSection(marker: string): string | null {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`<!-- ${marker}:`);
  const end = readme.indexOf(`<!-- /${marker} -->`);
  if (start < 0 || end < start) return null;
  return readme.slice(readme.indexOf('\n', start), end);
}

/** A Markdown table's rows with padding removed (escaped pipes stay inside their cell). */
export function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    );
}
