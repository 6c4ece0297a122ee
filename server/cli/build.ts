// Builds the SvelteKit front end when its build is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const buildMarker = path.join(root, 'build', 'index.html');
const sources = ['src', 'server/domain', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) =>
  path.join(root, p),
);

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce(
    (newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))),
    stat.mtimeMs,
  );
}

/** Builds the front end when the build is missing or older than its sources. */
export function buildFrontEndIfStale(): void {
  const builtAt = existsSync(buildMarker) ? statSync(buildMarker).mtimeMs : 0;
  if (builtAt >= Math.max(...sources.map(newestMtime))) return;
  console.log(
    builtAt ? 'The front end changed since the last build: rebuilding…' : 'Building the front end (first start only)…',
  );
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
