// `npm start` keeps its banner on screen: requests log at debug, so at the default level nothing follows the URL
// and the demo logins; LOG_LEVEL=debug brings the request lines back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/db/embedded.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';

const BANNER_END = 'Press Ctrl+C to stop.';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-quiet-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A signed-in session's worth of traffic: sign-in, the current user, a page, an unknown API path. */
async function browse(port: number): Promise<void> {
  const origin = `http://localhost:${port}`;
  const login = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: 'vp.ops@northwind.example', password: 'lastmile-demo' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect((await fetch(`${origin}/api/me`, { headers: { cookie } })).status).toBe(200);
  expect((await fetch(`${origin}/healthz`)).status).toBeLessThan(500);
  expect((await fetch(`${origin}/api/no-such-thing`, { headers: { cookie } })).status).toBe(404);
}

async function stop(started: StartedProcess): Promise<void> {
  started.child.kill('SIGTERM');
  expect(await started.exited).toBe(0);
}

function requestLines(output: string): string[] {
  return output.split('\n').filter((line) => line.includes('"msg":"request"'));
}

describe('the start-up banner', () => {
  it('is the last thing printed at the default level, and requests log only at debug', async () => {
    const port = await findFreePort();
    // LOG_LEVEL blank is LOG_LEVEL unset (the helper's own default is warn).
    const env = { PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DATA_DIR: dataDir, LOG_LEVEL: '' };

    const quiet = startProcess(env);
    await waitForOutput(quiet, BANNER_END);
    await browse(port);
    // Stopped and exited: everything the process would print about those requests has been printed.
    await stop(quiet);
    const printed = quiet.output();
    expect(requestLines(printed)).toEqual([]);
    // Nothing between the banner and the shutdown: while it ran, the screen ended on the URL and the demo logins.
    const shutdown = printed.lastIndexOf('SIGTERM received: stopping…');
    expect(shutdown).toBeGreaterThan(0);
    const output = printed.slice(0, shutdown);
    expect(output.trimEnd().endsWith(BANNER_END)).toBe(true);
    const banner = output.slice(output.lastIndexOf('Database: '));
    expect(banner).toMatch(
      new RegExp(`^Database: .+\\nLastmile is running at http://localhost:${port}\\ndemo .*seeded: logins\\n`),
    );
    expect(banner).toMatch(/vp\.ops@northwind\.example\s+lastmile-demo/);
    expect(output).not.toContain('npm run preview');

    const chatty = startProcess({ ...env, LOG_LEVEL: 'debug' });
    await waitForOutput(chatty, BANNER_END);
    await browse(port);
    await stop(chatty);
    const lines = requestLines(chatty.output()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'debug', method: 'POST', path: '/api/auth/login', status: 200 }),
        expect.objectContaining({ level: 'debug', method: 'GET', path: '/api/me', status: 200 }),
        expect.objectContaining({ level: 'debug', method: 'GET', path: '/api/no-such-thing', status: 404 }),
      ]),
    );
  }, 180_000);
});
