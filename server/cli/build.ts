// Builds the SvelteKit front end when its build is missing or older than its sources.
import { spawnSync } from 'node:child_process';
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
  // Vite's and SvelteKit's progress lines go to a pipe: on success they are noise above the start-up banner, and
  // SvelteKit's "Run npm run preview" is wrong here (`npm start` serves the build itself). Warnings (stderr) show.
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  const failed = result.status !== 0 || result.error !== undefined;
  const shown = buildOutputToShow(result.stdout ?? '', failed);
  if (shown) process.stdout.write(shown);
  if (failed) throw result.error ?? new Error(`The front end build failed (exit code ${result.status})`);
}

/** What of the build's stdout to print: nothing when it worked, all but the misleading preview hint when it failed. */
export function buildOutputToShow(stdout: string, failed: boolean): string {
  if (!failed) return '';
  return stdout
    .split('\n')
    .filter((line) => !line.includes('npm run preview'))
    .join('\n');
}
