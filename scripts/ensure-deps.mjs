// Runs before `npm start` and `npm test` so that a fresh clone needs no other set-up step:
// installs the locked dependencies when they are missing or older than package-lock.json and,
// with --browser, makes sure Playwright has a Chromium to drive. Plain Node: nothing installed yet.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const lockChanged = !existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs;
if (lockChanged) {
  console.log('Installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

if (process.argv.includes('--browser')) {
  const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some((path) => existsSync(path));
  if (!systemChromium) {
    // On a developer laptop Playwright can download its own Chromium; it skips the download when present.
    execSync('npx playwright install chromium', { stdio: 'inherit' });
  }
}
