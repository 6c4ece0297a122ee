// End-to-end journeys in real Chromium against the app started the way `npm start` starts it
// (embedded PostgreSQL, demo data), on its own port and data folder.
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
// Debian's Chromium where Playwright cannot download its own browser (CI, this workplace).
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const launchOptions = {
  executablePath: systemChromium,
  args: systemChromium
    ? [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ]
    : [],
};

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    timezoneId: 'Europe/Berlin',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: 'phone.spec.ts',
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      // A participant on a phone: the journeys that must work at 390 px, with touch.
      name: 'phone',
      testMatch: 'phone.spec.ts',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        launchOptions,
      },
    },
  ],
  webServer: {
    // `npm start` itself: builds what is missing or stale, then runs the compiled server with plain Node.
    command: `rm -rf data/e2e-${port} && npm start`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      PUBLIC_URL: baseURL,
      DATA_DIR: `./data/e2e-${port}`,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  },
});
