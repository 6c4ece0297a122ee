// The replay page in Chromium: time to the first board on screen, time until the whole log is applied in the
// worker (each the median of several opens, each in a fresh browser context, timed in the page from its
// navigation start), and seeks (the scrubber set to random moments) from the input event to the board showing
// that moment. The page's own clock, because the server runs in this process: while it answers the log's pages,
// this process would notice the board late.
import type { Browser } from '@playwright/test';
import { seededRandom } from '../../db/seed/demo-history.ts';

export interface ReplayFigures {
  updates: number;
  /** From navigation to the first board on screen (the server's read, before the log is in); median of `opens`. */
  firstFrameMs: number;
  /** From navigation to every update downloaded and applied in the worker. */
  logAppliedMs: number;
  /** Input event on the scrubber → the board in the DOM shows that moment. */
  seekP50Ms: number;
  seekP95Ms: number;
  /** …and the next frame painted after it. */
  seekPaintP95Ms: number;
  /** The worker's part: checkpoint restore and updates applied, views read. */
  workerP50Ms: number;
  seeks: number;
  opens: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

export async function measureReplay(
  browser: Browser,
  origin: string,
  login: { email: string; password: string },
  reviewId: string,
  seeks = 20,
  opens = Number(process.env.BENCH_REPLAY_OPENS ?? 5),
): Promise<ReplayFigures> {
  const firstFrames: number[] = [];
  const logsApplied: number[] = [];
  for (let open = 1; open < opens; open++) {
    const { context, firstFrameMs, logAppliedMs } = await openReplay(browser, origin, login, reviewId);
    firstFrames.push(firstFrameMs);
    logsApplied.push(logAppliedMs);
    await context.close();
  }
  const { context, page, firstFrameMs, logAppliedMs } = await openReplay(browser, origin, login, reviewId);
  firstFrames.push(firstFrameMs);
  logsApplied.push(logAppliedMs);
  const updates = Number(await page.getByTestId('replay').getAttribute('data-total'));

  const duration = Number(await page.getByTestId('replay-scrubber').getAttribute('max'));
  const random = seededRandom(20);
  const results: { domMs: number; paintMs: number; workerMs: number }[] = [];
  for (let index = 0; index < seeks; index++) {
    const value = Math.floor(random() * duration);
    results.push(
      await page.evaluate(async (value) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid=replay-scrubber]')!;
        const board = document.querySelector<HTMLElement>('[data-testid=replay-board]')!;
        // Settled: the board shows the scrubber's moment, so their difference is the review's start.
        const start = Number(board.dataset.shownAt) - Number(input.value);
        const target = String(start + value);
        const shown = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            if (board.dataset.shownAt !== target) return;
            observer.disconnect();
            resolve(performance.now());
          });
          observer.observe(board, { attributes: true, attributeFilter: ['data-shown-at'] });
        });
        const began = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const dom = await shown;
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return { domMs: dom - began, paintMs: performance.now() - began, workerMs: Number(board.dataset.seekMs) };
      }, value),
    );
  }
  await context.close();
  return {
    updates,
    firstFrameMs: percentile(firstFrames, 0.5),
    logAppliedMs: percentile(logsApplied, 0.5),
    seekP50Ms: percentile(
      results.map((r) => r.domMs),
      0.5,
    ),
    seekP95Ms: percentile(
      results.map((r) => r.domMs),
      0.95,
    ),
    seekPaintP95Ms: percentile(
      results.map((r) => r.paintMs),
      0.95,
    ),
    workerP50Ms: percentile(
      results.map((r) => r.workerMs),
      0.5,
    ),
    seeks: results.length,
    opens,
  };
}

/** Opens the replay in a fresh context (nothing cached) and waits for the first board, then the whole log. */
async function openReplay(
  browser: Browser,
  origin: string,
  login: { email: string; password: string },
  reviewId: string,
) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const signedIn = await page.request.post(`${origin}/api/auth/login`, { data: login, headers: { origin } });
  if (!signedIn.ok()) throw new Error(`login failed: ${signedIn.status()}`);

  await page.addInitScript(() => {
    const marks: { firstFrame?: number; logApplied?: number } = {};
    (window as unknown as { __replayBench: typeof marks }).__replayBench = marks;
    new MutationObserver(() => {
      if (
        marks.firstFrame === undefined &&
        document.querySelector('[data-testid=replay-board][data-shown-at] [data-testid=replay-agenda-item]')
      )
        marks.firstFrame = performance.now();
      const root = document.querySelector<HTMLElement>('[data-testid=replay]');
      if (
        marks.logApplied === undefined &&
        root &&
        Number(root.dataset.total) > 0 &&
        root.dataset.applied === root.dataset.total
      )
        marks.logApplied = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto(`${origin}/reviews/${reviewId}/replay`);
  await page
    .waitForSelector('[data-testid=replay-board][data-shown-at] [data-testid=replay-agenda-item]', { timeout: 120_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: 'bench-results/replay-failure.png' });
      console.log(page.url(), (await page.locator('main').textContent())?.slice(0, 500));
      throw error;
    });
  await page.waitForFunction(
    () => {
      const root = document.querySelector<HTMLElement>('[data-testid=replay]');
      return !!root && Number(root.dataset.total) > 0 && root.dataset.applied === root.dataset.total;
    },
    undefined,
    { timeout: 300_000, polling: 20 },
  );
  const marks = await page.evaluate(
    () => (window as unknown as { __replayBench: { firstFrame: number; logApplied: number } }).__replayBench,
  );
  const firstFrameMs = Math.round(marks.firstFrame);
  const logAppliedMs = Math.round(marks.logApplied);
  return { context, page, firstFrameMs, logAppliedMs };
}

export function replayTable(reference: ReplayFigures, large: ReplayFigures, scratchMs: number): string {
  const rows: [string, keyof ReplayFigures][] = [
    [`navigation → first board on screen, median of ${large.opens} opens (ms)`, 'firstFrameMs'],
    ['navigation → whole log applied in the worker, median (ms)', 'logAppliedMs'],
    [`seek p50: scrubber input → board shows it (ms)`, 'seekP50Ms'],
    ['seek p95 (ms)', 'seekP95Ms'],
    ['seek p95 to the next painted frame (ms)', 'seekPaintP95Ms'],
    ['  of which in the worker, p50 (ms)', 'workerP50Ms'],
  ];
  return [
    `| replay (${large.seeks} seeks) | demo past review (${reference.updates} updates) | large (${large.updates.toLocaleString('en')} updates) | ratio |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, key]) => {
      const a = reference[key];
      const b = large[key];
      return `| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${a > 0 ? (b / a).toFixed(1) + '×' : '—'} |`;
    }),
    `| without checkpoints: every update applied from scratch in one Y.Doc (Node, ms) | | ${scratchMs.toFixed(1)} | |`,
  ].join('\n');
}
