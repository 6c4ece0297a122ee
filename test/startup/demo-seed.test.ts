// The demo's accounts have a published password: started on a DATABASE_URL (which may be production), the app
// seeds them only when SEED_DEMO=true asks for it, and says at start-up what it did.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../db/seed/demo.ts';
import { connect } from '../../server/db/connect.ts';
import { findFreePort, startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { countUsers } from '../../server/store/databases.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function stopProcess(started: StartedProcess) {
  if (started.child.exitCode !== null) return;
  started.child.kill('SIGTERM');
  await started.exited;
}

function demoLogin(origin: string) {
  return fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: DEMO_PEOPLE[0].email, password: DEMO_PASSWORD }),
  });
}

describe('the demo on a DATABASE_URL', () => {
  it('is not seeded unless SEED_DEMO=true, and start-up says so', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-demo-seed-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const database = await startEmbeddedPostgres({ dataDir });
    cleanups.push(() => database.stop());
    const sql = connect(database.url, { max: 1 });
    cleanups.push(() => sql.end());
    const port = await findFreePort();
    const origin = `http://localhost:${port}`;
    const env = { PORT: String(port), PUBLIC_URL: origin, DATABASE_URL: database.url };

    const unset = startProcess(env);
    cleanups.push(() => stopProcess(unset));
    await waitForOutput(unset, 'Press Ctrl+C to stop.');
    expect(unset.output()).toContain('no demo: DATABASE_URL is set; SEED_DEMO=true seeds it');
    expect(unset.output()).not.toContain(DEMO_PASSWORD);
    expect(await countUsers(sql)).toBe(0);
    expect((await demoLogin(origin)).status).toBe(401);
    await stopProcess(unset);

    const asked = startProcess({ ...env, SEED_DEMO: 'true' });
    cleanups.push(() => stopProcess(asked));
    await waitForOutput(asked, 'Press Ctrl+C to stop.');
    expect(asked.output()).toContain('demo seeded: logins');
    expect((await demoLogin(origin)).status).toBe(200);
  });
});
