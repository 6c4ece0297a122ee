// `npm start` in production: what its prestart runs (scripts/build.mjs --if-stale) builds whatever is stale, then its
// own command runs the compiled server with plain Node, here from a copy of the project that holds only what a
// production install has (the build, package.json, the migrations, and node_modules without the dev dependencies:
// no tsx, esbuild or Vite to fall back on). The server answers /healthz, serves the built front end, signs in the
// demo and a new user, and syncs a review board over real websockets, a large update included: the compiled worker
// decodes that one, and a worker that failed to load would close the writer instead.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/db/embedded.ts';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { DEFAULT_UPDATE_CHECK } from '../../server/sync/update-check.ts';
import { ApiClient } from '../support/client.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { reviewFixture } from '../support/reviews.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

interface LockedPackage {
  dev?: boolean;
}

/** A folder shaped like a production install of the built project; node_modules links to the production packages. */
function productionCopy(into: string): void {
  cpSync(path.join(projectRoot, 'dist'), path.join(into, 'dist'), { recursive: true });
  cpSync(path.join(projectRoot, 'package.json'), path.join(into, 'package.json'));
  for (const folder of ['build', 'db', 'src']) symlinkSync(path.join(projectRoot, folder), path.join(into, folder));
  const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  for (const [location, locked] of Object.entries(lock.packages)) {
    const nested = location.lastIndexOf('node_modules/') > 0;
    if (!location.startsWith('node_modules/') || nested || locked.dev) continue;
    // Optional packages for other platforms are not installed.
    if (!existsSync(path.join(projectRoot, location))) continue;
    mkdirSync(path.dirname(path.join(into, location)), { recursive: true });
    symlinkSync(path.join(projectRoot, location), path.join(into, location));
  }
}

/** Thousands of one-letter insertions at scattered places in one transaction: a large update nothing merges. */
function typeScattered(board: BoardClient, itemId: string, letters: number, letter: string): void {
  const notes = notesOf(board.doc, itemId)!;
  board.doc.transact(() => {
    for (let i = 0; i < letters; i++) notes.insert((i * 7919) % (notes.length + 1), letter);
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let installDir: string;
beforeAll(async () => {
  // What `npm start` runs first (its prestart, after the dependency check): a no-op when the build is up to date.
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: projectRoot, stdio: 'inherit' });
  installDir = await mkdtemp(path.join(tmpdir(), 'lastmile-compiled-'));
  cleanups.push(() => rm(installDir, { recursive: true, force: true }));
  productionCopy(installDir);
}, 600_000);

describe('the compiled server', () => {
  it('is what npm start runs: plain Node on dist/server/start.js, no tsx', () => {
    expect(packageJson.scripts.start).toMatch(/^node .*dist\/server\/start\.js$/);
    expect(packageJson.scripts.start).not.toContain('tsx');
    expect(packageJson.scripts.prestart).toContain('node scripts/build.mjs --if-stale');
    expect(existsSync(path.join(installDir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(path.join(installDir, 'node_modules', 'yjs'))).toBe(true);
  });

  it('starts without the dev dependencies, serves the front end, and syncs large updates through its worker', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-compiled-data-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await findFreePort();
    const origin = `http://localhost:${port}`;
    const [program, ...nodeArgs] = packageJson.scripts.start!.split(' ');
    expect(program).toBe('node');
    const server: StartedProcess = startProcess(
      { PORT: String(port), PUBLIC_URL: origin, DATA_DIR: dataDir, NODE_OPTIONS: '' },
      { nodeArgs, cwd: installDir },
    );
    cleanups.push(async () => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    await waitForOutput(server, 'Press Ctrl+C to stop.');
    expect(server.output()).toContain(`Lastmile is running at ${origin}`);

    expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok', database: 'ok' });
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/_app/');
    const demo = new ApiClient(origin);
    const login = await demo.post('/api/auth/login', { email: 'vp.ops@northwind.example', password: 'lastmile-demo' });
    expect(login.status).toBe(200);

    const fixture = await reviewFixture(origin);
    const open = async () => {
      const board = connectBoard(origin, fixture.facilitator.client, fixture.review.id);
      cleanups.push(() => board.destroy());
      await board.synced;
      return board;
    };
    const [writer, observer] = [await open(), await open()];
    const itemId = readAgenda(observer.doc)[0]!.id;
    const sent: number[] = [];
    writer.doc.on('update', (update: Uint8Array) => sent.push(update.byteLength));
    typeScattered(writer, itemId, 20_000, 'z');
    expect(sent[0]).toBeGreaterThanOrEqual(DEFAULT_UPDATE_CHECK.workerFromBytes);

    // Committed, or refused: a worker that did not start closes the writer ("Server shutting down").
    await eventually(() => writer.commits.covered || writer.closes.length > 0, 30_000, 'a verdict on the update');
    expect(writer.closes).toEqual([]);
    const expected = notesOf(writer.doc, itemId)!.toString();
    await eventually(() => notesOf(observer.doc, itemId)!.toString() === expected, 15_000, 'the observer to see it');
    expect(expected.split('z').length - 1).toBe(20_000);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 180_000);
});
