// The server as a process: embedded PostgreSQL start, demo seed, restart after SIGKILL, clean stop.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/db/embedded.ts';
import { startProcess, waitForOutput } from '../support/process.ts';

async function demoLogin(port: number) {
  const origin = `http://localhost:${port}`;
  return fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: 'vp.ops@northwind.example', password: 'lastmile-demo' }),
  });
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('starting the server', () => {
  it('starts on an embedded PostgreSQL, seeds the demo, survives SIGKILL, and stops cleanly on SIGTERM', async () => {
    const port = await findFreePort();
    const env = { PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DATA_DIR: dataDir };

    const first = startProcess(env);
    await waitForOutput(first, 'Press Ctrl+C to stop.');
    expect(first.output()).toContain(`Lastmile is running at http://localhost:${port}`);
    expect(first.output()).toContain('demo seeded: logins');
    expect(first.output()).toMatch(/vp\.ops@northwind\.example\s+lastmile-demo/);
    expect((await demoLogin(port)).status).toBe(200);

    // SIGKILL leaves the embedded PostgreSQL running; the next start must cope with it.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startProcess(env);
    await waitForOutput(second, 'Press Ctrl+C to stop.');
    expect(second.output()).not.toContain('demo seeded');
    expect(second.output()).toContain('demo already seeded: logins');
    expect((await demoLogin(port)).status).toBe(200);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it('refuses bad configuration with one clear line per problem', async () => {
    const started = startProcess({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain('PORT: must be a whole number from 0 to 65535');
    expect(started.output()).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
  });
});
