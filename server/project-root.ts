// The project's folder, from which the server reads what is not compiled into it: db/migrations/, src/routes/ and
// the built front end in build/. Found by walking up from this module to package.json, because this module is in
// server/ when the server runs from its TypeScript sources and is bundled into dist/server/ when it runs compiled.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. projectPath('db', 'migrations'). */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}
