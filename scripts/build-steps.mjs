// @ts-check
// The two builds behind `npm run build`, and whether each is stale: the front end (Vite and SvelteKit, into build/)
// and the server (esbuild, into dist/server/). Plain Node, so that `npm start` can check them before anything else
// runs, and so that a production install without the dev dependencies can still check a build it was shipped with.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** What the front end is built from; its build is stale once any of these is newer than build/index.html. */
const FRONT_END_SOURCES = ['src', 'static', 'server/domain', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const FRONT_END_MARKER = 'build/index.html';

const SERVER_OUT_DIR = 'dist/server';
/**
 * The compiled entry points, all in one folder: update-check.ts (bundled into start.js) starts the worker from the
 * file beside it, named as in the sources.
 */
const SERVER_ENTRY_POINTS = {
  start: 'server/cli/start.ts',
  migrate: 'server/cli/migrate.ts',
  'update-check-worker': 'server/sync/update-check-worker.ts',
};
/** esbuild's list of the files each bundle is made of: the server build is stale once one of them changed. */
const SERVER_METAFILE = `${SERVER_OUT_DIR}/meta.json`;
/** What shapes the server build besides those files: the externals' versions and these build steps. */
const SERVER_BUILD_INPUTS = ['package-lock.json', 'scripts/build-steps.mjs'];

/** @param {string} target @returns {number} */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce(
    (newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))),
    stat.mtimeMs,
  );
}

/** @param {string} file */
function mtimeOrZero(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/**
 * @typedef {'missing' | 'changed' | undefined} Staleness missing: never built; changed: sources newer than the build.
 */

/** @param {string} root @returns {Staleness} */
export function frontEndStaleness(root = projectRoot) {
  const builtAt = mtimeOrZero(path.join(root, FRONT_END_MARKER));
  if (!builtAt) return 'missing';
  return builtAt < Math.max(...FRONT_END_SOURCES.map((source) => newestMtime(path.join(root, source))))
    ? 'changed'
    : undefined;
}

/** @param {string} root @returns {Staleness} */
export function serverStaleness(root = projectRoot) {
  const metafile = path.join(root, SERVER_METAFILE);
  const builtAt = mtimeOrZero(metafile);
  if (!builtAt) return 'missing';
  /** @type {{ inputs: Record<string, unknown>, outputs: Record<string, unknown> }} */
  const { inputs, outputs } = JSON.parse(readFileSync(metafile, 'utf8'));
  if (Object.keys(outputs).some((output) => !existsSync(path.join(root, output)))) return 'missing';
  // A source that is gone (moved or deleted) counts as changed: the build then says what still imports it.
  const changed = [...Object.keys(inputs), ...SERVER_BUILD_INPUTS].some((input) => {
    const mtime = mtimeOrZero(path.join(root, input));
    return mtime === 0 || mtime > builtAt;
  });
  return changed ? 'changed' : undefined;
}

/** Builds the front end, quietly, when it is missing or stale; says which. */
export function buildFrontEndIfStale() {
  const staleness = frontEndStaleness();
  if (!staleness) return;
  console.log(
    staleness === 'missing'
      ? 'Building the front end (first start only)…'
      : 'The front end changed since the last build: rebuilding…',
  );
  buildFrontEnd({ quiet: true });
}

/** Compiles the server when it is missing or stale; says which. */
export async function buildServerIfStale() {
  const staleness = serverStaleness();
  if (!staleness) return;
  console.log(staleness === 'missing' ? 'Compiling the server…' : 'The server changed: recompiling…');
  await buildServer();
}

/**
 * Builds the front end into build/. Quiet, Vite's and SvelteKit's progress lines go to a pipe and show only if the
 * build fails: on success they would be noise above the server's start-up banner.
 * @param {{ quiet: boolean }} options
 */
export function buildFrontEnd({ quiet }) {
  const vite = path.join(projectRoot, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', ...(quiet ? ['--logLevel', 'warn'] : [])], {
    cwd: projectRoot,
    stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  const failed = result.status !== 0 || result.error !== undefined;
  const shown = quiet ? buildOutputToShow(result.stdout ?? '', failed) : '';
  if (shown) process.stdout.write(shown);
  if (failed) throw result.error ?? new Error(`The front end build failed (exit code ${result.status})`);
}

/**
 * What of a quiet build's stdout to print: nothing when it worked, all but SvelteKit's "Run npm run preview" hint
 * when it failed (`npm start` serves the build itself).
 * @param {string} stdout @param {boolean} failed
 */
export function buildOutputToShow(stdout, failed) {
  if (!failed) return '';
  return stdout
    .split('\n')
    .filter((line) => !line.includes('npm run preview'))
    .join('\n');
}

/**
 * Compiles the server and its worker into dist/server/: one bundle per entry point, the packages left as imports
 * from node_modules, with source maps (`node --enable-source-maps` reports the TypeScript lines).
 */
export async function buildServer() {
  // A dev dependency: imported only to build, never to check a build.
  const esbuild = await import('esbuild');
  rmSync(path.join(projectRoot, SERVER_OUT_DIR), { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: SERVER_ENTRY_POINTS,
    outdir: SERVER_OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  checkExternals(result.metafile);
  writeFileSync(path.join(projectRoot, SERVER_METAFILE), JSON.stringify(result.metafile));
}

/**
 * Every package the bundles import must be a production dependency: an install without the dev dependencies has
 * nothing else in node_modules.
 * @param {import('esbuild').Metafile} metafile
 */
function checkExternals(metafile) {
  /** @type {{ dependencies: Record<string, string> }} */
  const { dependencies } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const imported = Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external && !imported.path.startsWith('node:'))
    .map((imported) => packageName(imported.path))
    .filter((name) => !builtinModules.includes(name));
  const missing = [...new Set(imported)].filter((name) => !(name in dependencies));
  if (missing.length > 0)
    throw new Error(`The server imports packages that are not production dependencies: ${missing.join(', ')}`);
}

/** 'hono/cookie' → 'hono', '@hono/node-server/serve-static' → '@hono/node-server'. @param {string} specifier */
function packageName(specifier) {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}
