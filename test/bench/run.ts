// `npm run bench:pages` (part of `npm run bench`): figures, not tests. Starts Lastmile as `npm start` does
// (embedded PostgreSQL, demo data), adds a large organization, and measures the dependency map in Chromium against
// the demo's small map, measured in the same run as the reference; then a review with 50,000 board updates, whose
// replay (first frame, seeks) is measured against the demo's past review. BENCH_ONLY=map or replay runs one of
// them. Figures are printed and written to bench-results/bench-<time>.json.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { buildFrontEndIfStale } from '../../scripts/build-steps.mjs';
import { loadConfig } from '../../server/config.ts';
import { connect } from '../../server/db/connect.ts';
import { findFreePort } from '../../server/db/embedded.ts';
import { startServer } from '../../server/main.ts';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '../../db/seed/demo.ts';
import { listBoardUpdates } from '../../server/store/board-log.ts';
import { listMembers, listOrganizationsForUser } from '../../server/store/organizations.ts';
import { listReviews } from '../../server/store/reviews.ts';
import { findUserByEmail } from '../../server/store/users.ts';
import { BENCH_PASSWORD, seedLargeMap } from './map-data.ts';
import { measureReplay, replayTable } from './replay.ts';
import { seedLongReview } from './replay-data.ts';

const SIZE = {
  initiatives: Number(process.env.BENCH_INITIATIVES ?? 2000),
  dependencies: Number(process.env.BENCH_DEPENDENCIES ?? 5000),
  teams: 12,
};
const REPLAY_UPDATES = Number(process.env.BENCH_REPLAY_UPDATES ?? 50_000);
const ONLY = process.env.BENCH_ONLY;
const DEMO_LOGIN = { email: 'vp.ops@northwind.example', password: DEMO_PASSWORD };
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

interface MapFigures {
  nodes: number;
  edges: number;
  /** From navigation to the map drawn on screen. */
  firstRenderMs: number;
  layoutMs: number;
  drawMs: number;
  /** Selecting an initiative until its impact is highlighted. */
  selectMs: number;
  /** Frame times while zooming with the wheel. */
  frameP50Ms: number;
  frameP95Ms: number;
  /** Leaving the map and coming back (layout cached in the tab). */
  reopenMs: number;
}

async function measureMap(browser: Browser, origin: string, email: string, password: string): Promise<MapFigures> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const login = await page.request.post(`${origin}/api/auth/login`, { data: { email, password }, headers: { origin } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
  const orgId = (await (await page.request.get(`${origin}/api/me`)).json()).organizations[0].id as string;
  const drawn = '[data-testid=map-canvas][data-render-ms]';

  const started = Date.now();
  await page.goto(`${origin}/orgs/${orgId}/map`);
  await page.waitForSelector(drawn, { timeout: 300_000, state: 'attached' });
  const firstRenderMs = Date.now() - started;
  const canvas = page.getByTestId('map-canvas');
  const layoutMs = Number(await canvas.getAttribute('data-layout-ms'));
  const drawMs = Number(await canvas.getAttribute('data-render-ms'));
  const label = (await canvas.getAttribute('aria-label')) ?? '';
  const [, nodes, edges] = /of (\d+) initiatives and (\d+) dependencies/.exec(label) ?? [];

  const options = page.locator('#map-focus option');
  const value = await options.nth(Math.max(1, Math.floor((await options.count()) / 2))).getAttribute('value');
  const selectStarted = Date.now();
  await page.selectOption('#map-focus', value!);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=map-canvas]')?.getAttribute('aria-label')?.includes(' selected.'),
  );
  const selectMs = Date.now() - selectStarted;

  const frames = await page.evaluate(async () => {
    const element = document.querySelector('[data-testid=map-canvas]')!;
    const box = element.getBoundingClientRect();
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 40; i++) {
      element.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: i % 2 ? 120 : -120,
          clientX: box.x + box.width / 2,
          clientY: box.y + box.height / 2,
          bubbles: true,
          cancelable: true,
        }),
      );
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]! };
  });

  // Leave through the tabs (no reload) and come back: the layout comes from the tab's cache.
  await page.getByRole('link', { name: 'Members' }).click();
  await page.waitForURL(/members$/);
  const reopenStarted = Date.now();
  await page.getByRole('link', { name: 'Dependency map' }).click();
  await page.waitForSelector(drawn, { timeout: 300_000, state: 'attached' });
  const reopenMs = Date.now() - reopenStarted;
  await context.close();
  return {
    nodes: Number(nodes),
    edges: Number(edges),
    firstRenderMs,
    layoutMs,
    drawMs,
    selectMs,
    frameP50Ms: frames.p50,
    frameP95Ms: frames.p95,
    reopenMs,
  };
}

function table(reference: MapFigures, large: MapFigures): string {
  const rows: [string, keyof MapFigures][] = [
    ['navigation → map on screen (ms)', 'firstRenderMs'],
    ['  layout in the ELK worker (ms)', 'layoutMs'],
    ['  drawing in Cytoscape (ms)', 'drawMs'],
    ['select → impact highlighted (ms)', 'selectMs'],
    ['zoom frame time p50 (ms)', 'frameP50Ms'],
    ['zoom frame time p95 (ms)', 'frameP95Ms'],
    ['reopen the map (ms)', 'reopenMs'],
  ];
  const lines = [
    `| dependency map | demo (${reference.nodes} / ${reference.edges}) | large (${large.nodes} / ${large.edges}) | ratio |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, key]) => {
      const a = reference[key];
      const b = large[key];
      return `| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${a > 0 ? (b / a).toFixed(1) + '×' : '—'} |`;
    }),
  ];
  return lines.join('\n');
}

async function benchReplay(sql: ReturnType<typeof connect>, browser: Browser, origin: string) {
  const vp = (await findUserByEmail(sql, DEMO_LOGIN.email))!;
  const demoOrg = (await listOrganizationsForUser(sql, vp.id))[0]!;
  const people = (await listMembers(sql, demoOrg.id)).map((member) => member.userId);
  const ordered = [vp.id, ...people.filter((id) => id !== vp.id)].slice(0, 5);
  const past = (await listReviews(sql, demoOrg.id)).find((review) => review.status === 'closed');
  if (!past) throw new Error('The demo has no closed review to compare with');

  console.log('');
  console.log(
    `Generating a review with ${REPLAY_UPDATES.toLocaleString('en')} board updates (${ordered.length} people)…`,
  );
  const seeding = Date.now();
  const long = await seedLongReview(sql, demoOrg.id, ordered, { updates: REPLAY_UPDATES });
  console.log(`  written in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

  // What a seek would cost without checkpoints: the whole log applied to an empty board.
  const log = await listBoardUpdates(sql, long.reviewId);
  const scratchStarted = performance.now();
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const entry of log) Y.applyUpdate(doc, entry.update);
  });
  const scratchMs = performance.now() - scratchStarted;
  doc.destroy();

  console.log('Measuring the replay of the demo’s past review (reference)…');
  const reference = await measureReplay(browser, origin, DEMO_LOGIN, past.id);
  console.log(`Measuring the replay of the ${REPLAY_UPDATES.toLocaleString('en')}-update review…`);
  const large = await measureReplay(browser, origin, DEMO_LOGIN, long.reviewId);
  console.log('');
  console.log(replayTable(reference, large, scratchMs));
  console.log('');
  console.log(
    'Both measured in this run, same browser and machine; the ratio is large ÷ demo. A seek restores the nearest ' +
      'checkpoint (every 500 updates) and applies at most 500 updates in the worker.',
  );
  return { reference, large, scratchMs };
}

async function main() {
  console.log('Building the front end if needed…');
  buildFrontEndIfStale();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-bench-'));
  const port = await findFreePort();
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'error',
  });
  const server = await startServer(config, { onStatus: () => {} });
  const sql = connect(server.databaseUrl, { max: 2 });
  let browser: Browser | undefined;
  const figures: Record<string, unknown> = { at: new Date().toISOString() };
  try {
    browser = await chromium.launch({
      executablePath: systemChromium,
      args: systemChromium ? ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] : [],
    });
    if (ONLY !== 'replay') {
      console.log(`Generating ${SIZE.initiatives} initiatives and ${SIZE.dependencies} dependencies…`);
      const large = await seedLargeMap(sql, SIZE);
      console.log('Measuring the demo map (reference)…');
      const reference = await measureMap(browser, server.url, DEMO_LOGIN.email, DEMO_LOGIN.password);
      console.log('Measuring the large map…');
      const measured = await measureMap(browser, server.url, large.email, BENCH_PASSWORD);
      console.log('');
      console.log(table(reference, measured));
      console.log('');
      console.log('Both measured in this run, same browser and machine; the ratio is large ÷ demo.');
      figures.map = { reference, large: measured };
    }
    if (ONLY !== 'map') figures.replay = await benchReplay(sql, browser, server.url);
    await mkdir(path.resolve('bench-results'), { recursive: true });
    const file = path.resolve('bench-results', `bench-${String(figures.at).replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(figures, null, 2));
    console.log('');
    console.log(`Figures written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser?.close();
    await sql.end({ timeout: 5 });
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
