// What `npm start` and `npm test` build first (scripts/build.mjs --if-stale): each build is rebuilt when it is missing
// or older than what it is made of, and a quiet front end build prints only a failure.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOutputToShow, frontEndStaleness, serverStaleness } from '../../../scripts/build-steps.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A project folder holding `files`, every one last modified at `at` (seconds since the epoch). */
function project(files: Record<string, string>, at = 1_000): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lastmile-build-steps-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) write(root, file, content, at);
  return root;
}

/** Writes `file` and dates it, and the folders it was written into (a folder's change counts as a change), `at`. */
function write(root: string, file: string, content: string, at: number): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
  for (let target = file; target !== '.'; target = path.dirname(target)) utimesSync(path.join(root, target), at, at);
}

const metafile = JSON.stringify({
  inputs: { 'server/main.ts': {}, 'db/seed/demo.ts': {} },
  outputs: { 'dist/server/start.js': {}, 'dist/server/start.js.map': {} },
});

function compiledProject(): string {
  const root = project({
    'server/main.ts': '',
    'db/seed/demo.ts': '',
    'package-lock.json': '{}',
    'scripts/build-steps.mjs': '',
    'dist/server/start.js': '',
    'dist/server/start.js.map': '',
  });
  write(root, 'dist/server/meta.json', metafile, 2_000);
  return root;
}

describe('the server build', () => {
  it('is missing until compiled, and when one of its outputs is gone', () => {
    expect(serverStaleness(project({ 'server/main.ts': '' }))).toBe('missing');
    const root = compiledProject();
    rmSync(path.join(root, 'dist/server/start.js'));
    expect(serverStaleness(root)).toBe('missing');
  });

  it('is up to date while nothing it was made of changed', () => {
    const root = compiledProject();
    expect(serverStaleness(root)).toBeUndefined();
    // A file outside the bundle (a test, a front-end page) does not count.
    write(root, 'test/unit/other.test.ts', '', 3_000);
    write(root, 'src/routes/+page.svelte', '', 3_000);
    expect(serverStaleness(root)).toBeUndefined();
  });

  it('is stale once a bundled source, the lock file or the build steps changed, or a source is gone', () => {
    for (const file of ['db/seed/demo.ts', 'package-lock.json', 'scripts/build-steps.mjs']) {
      const root = compiledProject();
      write(root, file, 'changed', 3_000);
      expect(serverStaleness(root), file).toBe('changed');
    }
    const root = compiledProject();
    rmSync(path.join(root, 'server/main.ts'));
    expect(serverStaleness(root)).toBe('changed');
  });
});

describe('the front end build', () => {
  it('is missing until built, up to date after, and stale once a page or the lock file changed', () => {
    const root = project({ 'src/routes/+page.svelte': '', 'package-lock.json': '{}' });
    expect(frontEndStaleness(root)).toBe('missing');
    write(root, 'build/index.html', '<html></html>', 2_000);
    expect(frontEndStaleness(root)).toBeUndefined();
    write(root, 'src/routes/reviews/+page.svelte', '', 3_000);
    expect(frontEndStaleness(root)).toBe('changed');
  });
});

describe("a quiet front end build's output", () => {
  const stdout = `
Run npm run preview to preview your production build locally.

> Using @sveltejs/adapter-static
  Wrote site to "build"
  ✔ done
`;

  it('is nothing when the build worked', () => {
    expect(buildOutputToShow(stdout, false)).toBe('');
  });

  it('is what the build said when it failed, but never the npm run preview hint', () => {
    const shown = buildOutputToShow(stdout, true);
    expect(shown).toContain('Using @sveltejs/adapter-static');
    expect(shown).not.toContain('npm run preview');
  });
});
