// Runs before `npm start` and `npm test` so that a fresh clone needs no other set-up step:
// installs the locked dependencies when they are missing or differ from package-lock.json and,
// with --browser, makes sure Playwright has a Chromium to drive. Plain Node: nothing installed yet.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';

/**
 * Whether what npm installed (its hidden lockfile) is what package-lock.json asks for: every installed package at
 * its locked version and integrity, and every locked package installed unless it is optional (another platform's
 * binary). A newer lockfile with the same content (a checkout, a new worktree) then reinstalls nothing.
 */
function installedAsLocked() {
  try {
    const locked = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
    const present = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
    /** @param {string} path */
    const matches = (path) =>
      present[path].version === locked[path]?.version && present[path].integrity === locked[path]?.integrity;
    return (
      Object.keys(present).every(matches) &&
      Object.entries(locked).every(([path, entry]) => path === '' || entry.optional || path in present)
    );
  } catch {
    return false;
  }
}

const lockChanged =
  !existsSync(installed) ||
  (statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs && !installedAsLocked());
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
